import type { Cluster } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { InvariantCheck } from '../model/invariant.js';
import type { FlowResult, Summary } from '../model/result.js';
import type { Scenario, WhatIfStep } from '../model/scenario.js';
import { diffResults, type ResultDiff } from '../core/diff/diff-results.js';
import type { FlowEvaluation } from '../core/evaluate-flow.js';
import { indexMesh, type MeshIndex } from '../core/mesh-index.js';
import { resolveMesh } from '../core/resolve/resolve-mesh.js';
import { applyWhatIf } from '../core/what-if/apply-what-if.js';
import { simulate } from './simulator.js';
import { evaluateExpectations, type ExpectationOutcome } from '../core/expect/evaluate-expectations.js';
import { expectContextFromIndex } from '../core/expect/expect-context.js';

/** A scenario with its files read: the cluster (istiod env applied), resolved what-if steps and flows. */
export interface PreparedScenario {
  readonly scenario: Scenario;
  readonly cluster: Cluster;
  readonly steps: readonly WhatIfStep[];
  readonly flows: readonly Flow[];
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
}

/**
 * Checks a prepared scenario the way `check` does: runs the flows through the simulator over the
 * cluster (and over the cluster changed by the what-if steps, diffing the two), then evaluates every
 * expectation. Pure.
 */
export function checkScenario(prepared: PreparedScenario): ScenarioCheck {
  const { scenario } = prepared;
  const base = { name: scenario.name, file: scenario.file };
  if (prepared.unreadable) {
    return { ...base, status: 'error', outcomes: [], results: [], whatIfNotes: [], diagnostics: prepared.diagnostics, summary: summarize([]) };
  }
  const beforeIndex = indexMesh(resolveMesh(prepared.cluster));
  const beforeResults = run(prepared.flows, beforeIndex);
  const whatIf = scenario.hasWhatIf ? applyWhatIf(prepared.cluster, prepared.steps) : undefined;
  const afterIndex = whatIf ? indexMesh(resolveMesh(whatIf.cluster)) : beforeIndex;
  const results = whatIf ? run(prepared.flows, afterIndex) : beforeResults;
  const diff = whatIf ? diffResults(beforeResults, results) : undefined;
  const outcomes = evaluateExpectations(scenario.expect, results, { ...(diff ? { diff } : {}), context: expectContextFromIndex(afterIndex) });
  const diagnostics = dedupe([
    ...prepared.diagnostics, ...beforeIndex.mesh.diagnostics,
    ...(whatIf ? [...whatIf.diagnostics, ...afterIndex.mesh.diagnostics] : []),
  ]);
  return {
    ...base,
    status: outcomes.every((o) => o.passed) ? 'passed' : 'failed',
    outcomes, results,
    ...(whatIf ? { before: beforeResults, diff } : {}),
    whatIfNotes: whatIf?.notes ?? [],
    diagnostics,
    summary: summarize(results),
  };
}

/** The flows through the simulator, in time order, with what recordings say about them; results in input order. */
function run(flows: readonly Flow[], index: MeshIndex): FlowResult[] {
  return simulate(index, flows).results as FlowResult[];
}

/** Flow counts of a result list (no component counters: `check` does not run the timeline). */
export function summarize(results: readonly FlowResult[]): Summary {
  let allowed = 0;
  let unencrypted = 0;
  for (const r of results) {
    if (r.verdict === 'allow') allowed++;
    if (!r.encrypted) unencrypted++;
  }
  return { flows: results.length, allowed, denied: results.length - allowed, unencrypted };
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.code}|${d.file ?? ''}|${d.line ?? ''}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
