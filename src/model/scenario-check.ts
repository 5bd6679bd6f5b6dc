import type { Cluster } from './cluster.js';
import type { Diagnostic } from './diagnostic.js';
import type { ResultDiff } from './diff.js';
import type { FlowEvaluation } from './evaluation.js';
import type { ExpectationOutcome } from './expectation.js';
import type { Flow } from './flow.js';
import type { InvariantCheck } from './invariant.js';
import type { FlowResult, Summary } from './result.js';
import type { ChangeCounts, Scenario, WhatIfStep } from './scenario.js';
import type { PhaseSummary, TimelineSpec } from './timeline.js';

/** The outcome of checking a scenario (types only). */

/** A scenario with its files read: the cluster (istiod env applied), resolved what-if steps and flows. */
export interface PreparedScenario {
  readonly scenario: Scenario;
  readonly cluster: Cluster;
  readonly steps: readonly WhatIfStep[];
  readonly flows: readonly Flow[];
  /** The scenario's timeline with its `apply` files read; absent when it has none. */
  readonly timeline?: TimelineSpec<WhatIfStep>;
  /** Problems found while reading the scenario and its files. */
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the scenario could not be read well enough to be checked (exit 2 territory). */
  readonly unreadable: boolean;
}

export type ScenarioStatus = 'passed' | 'failed' | 'error';

/** A failed invariant over generated traffic, checked again with shrinking: the smallest flow that breaks it. */
export interface ShrunkCounterexample {
  /** Index of the failed outcome in `outcomes`. */
  readonly outcome: number;
  readonly check: InvariantCheck;
  readonly explanation?: FlowEvaluation;
  /** Manifest paths for the replay command. */
  readonly manifests: readonly string[];
}

/** The outcome of checking one scenario. */
export interface ScenarioCheck {
  readonly name: string;
  readonly file: string;
  readonly status: ScenarioStatus;
  readonly outcomes: readonly ExpectationOutcome[];
  /** Results the expectations were checked against: after the what-if, if any. */
  readonly results: readonly FlowResult[];
  /** Results before the what-if (only with a what-if). */
  readonly before?: readonly FlowResult[];
  readonly diff?: ResultDiff;
  /** What the what-if steps changed, one line each. */
  readonly whatIfNotes: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: Summary;
  /** With `traffic.generate`: failed invariants shrunk to their smallest counterexample. */
  readonly shrunk?: readonly ShrunkCounterexample[];
  /** Elapsed times, when the check was given a clock (JUnit `time`). */
  readonly timing?: ScenarioTiming;
  /** With a timeline: each phase, its counts, and what changes when it starts (the whole traffic before and after). */
  readonly phases?: readonly PhaseCheck[];
}

/** One phase of a scenario's timeline: its counts, and the change its start makes to the whole traffic. */
export interface PhaseCheck {
  readonly phase: PhaseSummary;
  readonly changes: ChangeCounts;
}

/** A monotonic clock in seconds, given to a check that is timed (`performance.now() / 1000` at the edge). */
export type Clock = () => number;

/**
 * Seconds a scenario check took: `seconds` the whole scenario (reading its files, simulating before
 * and after the what-if, every expectation, shrinking), `expectations[i]` the evaluation of outcome
 * `i` (and the shrinking of its counterexample). Each expectation is inside the whole, so
 * `seconds >= sum(expectations)`.
 */
export interface ScenarioTiming {
  readonly seconds: number;
  readonly expectations: readonly number[];
}
