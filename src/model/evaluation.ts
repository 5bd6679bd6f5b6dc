import type { MtlsMode } from './policy.js';
import type { FlowJwt, HttpRequest } from './flow.js';
import type { Waypoint, Workload } from './mesh.js';
import type { ReasonCode } from './reason.js';
import type { FlowResult, Hop, NearMiss } from './result.js';

/**
 * What the evidence evaluator establishes for a flow: the attributes each enforcement point sees,
 * every policy it evaluated, and its decision. Types only; the evaluator is in the data plane.
 */

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

/** The mTLS mode a sidecar's inbound port runs with, and the PeerAuthentication that set it (null: default). */
export interface SidecarMtls {
  readonly mode: Exclude<MtlsMode, 'UNSET'>;
  /** `namespace/name` of the PeerAuthentication that decided the mode, or null for the default PERMISSIVE. */
  readonly policy: string | null;
}

/** What a sidecar inbound checkpoint knows besides the connection: its port's mTLS mode. */
export interface SidecarCheckpointFacts {
  readonly mtls: SidecarMtls;
}

/** An enforcement point on the path, with what it sees of the flow. */
export interface Checkpoint {
  readonly component: 'waypoint' | 'destination-ztunnel' | 'sidecar';
  /** Waypoint `ns/name`, the destination node's name, or the sidecar pod's `ns/name`. */
  readonly name: string;
  readonly at: string;
  readonly attributes: RequestAttributes;
  readonly waypoint?: Waypoint;
  /** Service whose waypoint chain the traffic takes (waypoint checkpoints). */
  readonly service?: string | null;
  readonly workload?: Workload;
  /** Sidecar checkpoints: the mTLS mode of the inbound port. */
  readonly sidecar?: SidecarCheckpointFacts;
  /** Legs the flow takes once this checkpoint lets it through. */
  readonly hopsAfter: readonly Hop[];
}

/** One enforcement point's decision, kept for explanations. */
export interface CheckpointDecision {
  readonly checkpoint: Checkpoint;
  readonly decision: AuthorizationDecision;
}

/** A flow's result plus the full evidence behind it (every policy evaluated at every point). */
export interface FlowEvaluation {
  readonly result: FlowResult;
  readonly decisions: readonly CheckpointDecision[];
  /** Node whose ztunnel sent the flow, when the source is captured. */
  readonly sourceNode?: string;
}
