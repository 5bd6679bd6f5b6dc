import type { ReasonCode } from './reason.js';
import type { DecidedBy, Verdict } from './result.js';

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
