import type { UnknownReference } from './expectation.js';
import type { Flow } from './flow.js';
import type { FlowResult } from './result.js';
import type { ObjectRef } from './source.js';

/** The smallest flow found that breaks an invariant, with what it takes to reproduce it. */
export interface InvariantCounterexample {
  readonly flow: Flow;
  /** The flow's result under the configuration the invariant is about (after the what-if, if any). */
  readonly result: FlowResult;
  /** For an invariant about a what-if: the flow's result before the steps. */
  readonly before?: FlowResult;
  /** What a custom predicate said about the flow, when it returned a string. */
  readonly message?: string;
  /** Shrinking steps taken from the first failing flow to this one. */
  readonly shrinks: number;
  /**
   * The fewest AuthorizationPolicies and PeerAuthentications (greedily: removing any one of them makes
   * the violation disappear) that still produce it; absent when not minimised.
   */
  readonly policies?: readonly ObjectRef[];
  /** How many such policies the cluster had before minimising. */
  readonly policiesInCluster?: number;
}

/**
 * Why an invariant check proves nothing, so it fails without a counterexample: it names what the
 * mesh does not have (checked before any flow is drawn), or no generated flow exercised a custom
 * predicate (none met its `when` and its focus; see `invariant()`).
 */
export type InvariantProblem =
  | { readonly kind: 'unknown-reference'; readonly refs: readonly UnknownReference[] }
  | { readonly kind: 'never-exercised' };

/** The outcome of checking an invariant over generated flows. */
export interface InvariantCheck {
  /** The invariant, as its constructor named it, e.g. `noPlaintextInto(payments)`. */
  readonly invariant: string;
  readonly passed: boolean;
  /** Flows generated and checked. */
  readonly runs: number;
  /** The seed that replays the run (fast-check `seed`). */
  readonly seed: number;
  /** With `seed`, replays exactly the counterexample (fast-check `path`). */
  readonly path?: string;
  readonly counterexample?: InvariantCounterexample;
  /** Set when the check failed because it could prove nothing (`passed` is false, no counterexample). */
  readonly problem?: InvariantProblem;
}
