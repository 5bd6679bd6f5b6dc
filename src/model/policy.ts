import type { LabelSelector } from './labels.js';

/**
 * Istio security API shapes (`security.istio.io/v1`), kept as Istio writes them so that rules can be
 * cited back to the user. Absent fields are `undefined`; lists keep their order.
 */

export type AuthorizationAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

export interface PolicyTargetReference {
  readonly group?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface AuthorizationPolicySpec {
  readonly selector?: LabelSelector;
  /** `targetRef` and `targetRefs` merged, in that order. */
  readonly targetRefs?: readonly PolicyTargetReference[];
  /** True when the deprecated singular `targetRef` was used. */
  readonly usesSingularTargetRef?: boolean;
  /** Defaults to ALLOW when absent. */
  readonly action: AuthorizationAction;
  readonly provider?: { readonly name?: string };
  /** Absent `rules` (allow-nothing for ALLOW) differs from `rules: []`; both have no rules. */
  readonly rules?: readonly Rule[];
}

/** One rule: `from` (OR of sources), `to` (OR of operations), `when` (AND of conditions); all three ANDed. */
export interface Rule {
  readonly from?: readonly RuleFrom[];
  readonly to?: readonly RuleTo[];
  readonly when?: readonly Condition[];
}

export interface RuleFrom {
  readonly source?: Source;
}

export interface RuleTo {
  readonly operation?: Operation;
}

export interface Source {
  readonly principals?: readonly string[];
  readonly notPrincipals?: readonly string[];
  readonly requestPrincipals?: readonly string[];
  readonly notRequestPrincipals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly notNamespaces?: readonly string[];
  readonly serviceAccounts?: readonly string[];
  readonly notServiceAccounts?: readonly string[];
  readonly ipBlocks?: readonly string[];
  readonly notIpBlocks?: readonly string[];
  readonly remoteIpBlocks?: readonly string[];
  readonly notRemoteIpBlocks?: readonly string[];
  readonly trustDomains?: readonly string[];
  readonly notTrustDomains?: readonly string[];
}

export interface Operation {
  readonly hosts?: readonly string[];
  readonly notHosts?: readonly string[];
  readonly ports?: readonly string[];
  readonly notPorts?: readonly string[];
  readonly methods?: readonly string[];
  readonly notMethods?: readonly string[];
  readonly paths?: readonly string[];
  readonly notPaths?: readonly string[];
}

export interface Condition {
  readonly key: string;
  readonly values?: readonly string[];
  readonly notValues?: readonly string[];
}

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface PeerAuthenticationSpec {
  readonly selector?: LabelSelector;
  readonly mtls?: { readonly mode: MtlsMode };
  /** Keyed by container port number as written. */
  readonly portLevelMtls?: Readonly<Record<string, { readonly mode: MtlsMode }>>;
}

export interface JwtRule {
  readonly issuer: string;
  readonly audiences?: readonly string[];
  readonly jwksUri?: string;
  readonly fromHeaders?: readonly { readonly name: string; readonly prefix?: string }[];
}

export interface RequestAuthenticationSpec {
  readonly selector?: LabelSelector;
  readonly targetRefs?: readonly PolicyTargetReference[];
  readonly jwtRules: readonly JwtRule[];
}
