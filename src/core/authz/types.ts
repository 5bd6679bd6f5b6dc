import type { FlowJwt, HttpRequest } from '../../model/flow.js';
import type { NearMiss } from '../../model/result.js';
import type { ReasonCode } from '../../model/reason.js';

/**
 * What an enforcement point knows about a connection when it authorizes it
 * (istio/ztunnel:src/rbac.rs `Connection`; Envoy's RBAC attributes for the waypoint).
 */
export interface ConnectionAttributes {
  /** Peer SPIFFE ID (`spiffe://td/ns/x/sa/y`) from mTLS, or null for plaintext. */
  readonly srcIdentity: string | null;
  /** Source IP as the enforcement point sees it. */
  readonly srcIp: string;
  readonly dstIp: string;
  /** Destination port as the enforcement point sees it (container port at ztunnel). */
  readonly dstPort: number;
}

/** A connection plus, at a waypoint, the HTTP request it carries (absent for plain TCP). */
export interface RequestAttributes extends ConnectionAttributes {
  readonly http?: HttpRequest;
  /** L7 attributes exist but are unknown (application TLS, cleartext HTTP/2): L7 rules are undecidable. */
  readonly l7Unknown?: 'tls' | 'http2';
  /** The JWT the request carries, not yet validated (HTTP only). */
  readonly token?: FlowJwt;
  /** Claims of a validated JWT, when request authentication applies (sidecar/waypoint). */
  readonly jwt?: { readonly iss: string; readonly sub: string; readonly claims: Readonly<Record<string, unknown>> };
}

/** How one policy fared against a connection. */
export interface PolicyEvaluation {
  /** `namespace/name`. */
  readonly policy: string;
  readonly action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  readonly matched: boolean;
  /** Index (in the source policy) of the first rule that matched. */
  readonly rule?: number;
  /** For an ALLOW (or DENY) that did not match: the closest rule and the field that failed. */
  readonly nearMiss?: NearMiss;
  readonly dryRun: boolean;
  /** Set when the policy was in scope but not enforced here (dry-run, AUDIT, CUSTOM). */
  readonly notEnforced?: 'dry-run' | 'audit' | 'custom';
  /** Set when a rule could not be decided (L7 attribute unknown). */
  readonly undecidable?: boolean;
}

/** The outcome of one enforcement point's authorization, with the evidence for it. */
export interface AuthorizationDecision {
  readonly verdict: 'allow' | 'deny';
  /** One of allow-policy-matched, deny-policy-matched, strict-mtls-plaintext-denied, no-allow-policy-matched, no-allow-policies, l7-undecidable. */
  readonly reason: ReasonCode;
  /** Deciding policy `namespace/name`; null for default allow and for "no ALLOW policy matched". */
  readonly policy: string | null;
  readonly rule: number | null;
  /** Every policy in scope, in evaluation order. */
  readonly evaluations: readonly PolicyEvaluation[];
  /** Facts established on the way (e.g. a JWT validated), reported as steps before the decision. */
  readonly facts?: readonly { readonly code: ReasonCode; readonly policy?: string; readonly detail?: Readonly<Record<string, string | number | boolean | null>> }[];
  /** Extra values for the decision's own step (e.g. why a JWT was rejected). */
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}
