import type { ReasonCode } from './reason.js';

/** Policy coverage: which rules a set of results exercised (types only). */

/** One rule of one policy, at the kind of enforcement point that applies it. */
export interface RuleRef {
  /** `namespace/name`, istiod's name for converted policies. */
  readonly policy: string;
  readonly rule: number;
  readonly action: string;
  readonly enforcedBy: 'waypoint' | 'ztunnel';
}

/** An allowed flow that no ALLOW policy matched anywhere on its path. */
export interface DefaultAllowedFlow {
  readonly id: string;
  /** `no-allow-policies` (enforced, but no ALLOW policy in scope), or why nothing enforced (e.g. `not-captured-udp`). */
  readonly reason: ReasonCode;
}

/**
 * Which policy rules a set of results exercised. A rule counts as hit when it decided a flow at some
 * enforcement point (its ALLOW matched and let the flow on, or its DENY denied it); a rule that
 * matched while another policy decided is not counted.
 */
export interface PolicyCoverage {
  readonly rules: number;
  readonly hit: number;
  /** Enforced rules no flow hit, in mesh order. */
  readonly unhit: readonly RuleRef[];
  /** Rules istiod dropped (ALLOW) or emptied (DENY) for ztunnel because of HTTP attributes: no flow can hit them there. */
  readonly dropped: readonly RuleRef[];
  /** Allowed flows that no ALLOW policy matched: allowed only because no policy was in scope, or nothing enforced. */
  readonly allowedWithoutPolicy: readonly DefaultAllowedFlow[];
}
