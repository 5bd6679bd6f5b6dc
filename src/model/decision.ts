import type { ReasonCode } from './reason.js';

export type Verdict = 'allow' | 'deny';

/** The kind of enforcement point that made a decision; `none` when nothing on the path enforces. */
export type DecidingComponent = 'waypoint' | 'destination-ztunnel' | 'sidecar' | 'none';

export interface DecidedBy {
  readonly component: DecidingComponent;
  readonly name: string | null;
}

/**
 * The verdict of one flow without its evidence: the fields of a FlowResult that the verdict path
 * computes (verdict, encryption, deciding component, policy, rule, reason). Decisions are shared
 * between flows (one object per distinct outcome), so deciding a flow allocates nothing.
 */
export interface Decision {
  readonly verdict: Verdict;
  readonly encrypted: boolean;
  readonly decidedBy: DecidedBy;
  readonly policy: string | null;
  readonly rule: number | null;
  readonly reason: ReasonCode;
}

/** One enforcement point's outcome, without evidence; shared like Decision. */
export interface CheckpointOutcome {
  readonly verdict: Verdict;
  readonly reason: ReasonCode;
  readonly policy: string | null;
  readonly rule: number | null;
}
