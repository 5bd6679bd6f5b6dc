/**
 * `ambient-bench/testing`: property-based testing of mesh policy in your own test suite. Arbitraries
 * for flows over your cluster (biased to its policy boundaries) and for small random clusters;
 * invariants checked over generated flows, with shrinking, policy minimisation and a replay command.
 */
export * from '../generate/index.js';
export { assertInvariant, type AssertInvariantOptions } from './assert-invariant.js';
export { renderInvariantCheck, type InvariantTextOptions } from '../report/invariant-text.js';
export { replayCommand } from '../report/replay-command.js';
export type { InvariantCheck, InvariantCounterexample, InvariantProblem } from '../model/invariant.js';
export type { UnknownReference } from '../model/expectation.js';
/** The fast-check instance the arbitraries are built with, for composing them in your own properties. */
export { default as fc } from 'fast-check';
