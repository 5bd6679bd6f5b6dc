import { checkInvariant, type CheckInvariantOptions, type InvariantOutcome } from '../generate/check-invariant.js';
import type { Invariant } from '../generate/invariants.js';
import type { MeshTarget } from '../generate/mesh-target.js';
import { renderInvariantCheck } from '../report/invariant-text.js';
import { makeStyle } from '../report/style.js';

export interface AssertInvariantOptions extends CheckInvariantOptions {
  /** Manifest paths, for the replay command in the failure message. */
  readonly manifests?: readonly string[];
}

/**
 * Checks an invariant and throws an Error whose message is the full report (smallest counterexample,
 * explanation, fewest policies, seed, replay command) when it is broken: for use in test frameworks.
 * Returns the outcome when it holds.
 */
export function assertInvariant(target: MeshTarget, inv: Invariant, options: AssertInvariantOptions = {}): InvariantOutcome {
  const outcome = checkInvariant(target, inv, options);
  if (!outcome.passed) {
    const text = renderInvariantCheck(outcome, { style: makeStyle(false), ...(options.manifests ? { manifests: options.manifests } : {}) });
    throw new Error(text);
  }
  return outcome;
}
