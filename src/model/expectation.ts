import type { FlowChange } from './diff.js';
import type { FlowResult } from './result.js';
import type { ChangeCounts, Expectation } from './scenario.js';

/** How scenario expectations fared (types only; the English is in report/). */

/** A field of a flow expectation that did not hold. */
export interface FieldMismatch {
  readonly field: 'verdict' | 'encrypted' | 'decidedBy' | 'policy' | 'reason' | 'closedReason';
  readonly expected: string | boolean | null;
  readonly actual: string | boolean | null;
}

/** A count of a `changes` expectation that did not hold. */
export interface CountMismatch {
  readonly count: keyof ChangeCounts;
  readonly expected: number;
  readonly actual: number;
}

/** A name an invariant uses that the mesh does not have (the invariant would hold vacuously). */
export interface UnknownReference {
  readonly field: 'namespace' | 'to' | 'from' | 'focus.sources' | 'focus.destinations';
  readonly ref: string;
}

/** Why an expectation failed, with the evidence; the English is in report/check-text.ts. */
export type ExpectationFailure =
  | { readonly kind: 'flow-missing'; readonly flow: string }
  | { readonly kind: 'unknown-reference'; readonly refs: readonly UnknownReference[] }
  | { readonly kind: 'flow-mismatch'; readonly mismatches: readonly FieldMismatch[]; readonly result: FlowResult }
  | { readonly kind: 'plaintext-into'; readonly counterexamples: readonly FlowResult[] }
  | { readonly kind: 'reachable-from-others'; readonly counterexamples: readonly FlowResult[] }
  | { readonly kind: 'changes-differ'; readonly mismatches: readonly CountMismatch[]; readonly changes: readonly FlowChange[] }
  | { readonly kind: 'changes-without-what-if' }
  /** `during` or `changes.at` names a phase the timeline does not have (`phases`: the ones it has). */
  | { readonly kind: 'unknown-phase'; readonly phase: string; readonly phases: readonly string[] };

export interface ExpectationOutcome {
  readonly expectation: Expectation;
  readonly passed: boolean;
  readonly failure?: ExpectationFailure;
  /** Flows the expectation looked at (for reports: "held over 12 flows"). */
  readonly checked: number;
}
