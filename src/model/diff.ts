import type { FlowResult } from './result.js';
import type { ChangeCounts } from './scenario.js';

/** A diff: the same traffic through two configurations, joined on flow id (types only). */

/** How a flow's outcome changed between two configurations. */
export type ChangeKind =
  | 'allowed-to-denied'
  | 'denied-to-allowed'
  | 'encrypted-to-plaintext'
  | 'plaintext-to-encrypted'
  /** The deciding component (kind or name) is another one. */
  | 'decision-moved'
  /** The deciding policy or rule is another one. */
  | 'policy-changed'
  /** Same verdict, encryption, component and policy, for another reason. */
  | 'reason-changed';

/** One flow whose outcome differs, with both results. */
export interface FlowChange {
  readonly id: string;
  readonly before: FlowResult;
  readonly after: FlowResult;
  readonly kinds: readonly ChangeKind[];
}

export interface DiffCounts extends ChangeCounts {
  readonly changed: number;
  readonly unchanged: number;
  readonly added: number;
  readonly removed: number;
  readonly decisionMoved: number;
  readonly policyChanged: number;
  readonly reasonChanged: number;
}

/** The same traffic through two configurations, joined on flow id (DESIGN.md "Diff"). */
export interface ResultDiff {
  /** In the order of the "before" results. */
  readonly changed: readonly FlowChange[];
  readonly unchanged: number;
  /** Flows only in "after", in its order. */
  readonly added: readonly FlowResult[];
  /** Flows only in "before", in its order. */
  readonly removed: readonly FlowResult[];
  readonly counts: DiffCounts;
}
