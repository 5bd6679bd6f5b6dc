import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import { diffResults } from '../analysis/diff/diff-results.js';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import { indexReportedMesh } from '../analysis/validate/ztunnel-status.js';
import { applyWhatIf } from '../analysis/what-if/apply-what-if.js';
import { simulate } from './simulator.js';
import { checkTimelineScenario } from './timeline/check-timeline.js';
import { summarizeResults } from './timeline/phase-summaries.js';
import { evaluateExpectations, evaluateExpectationsTimed } from '../analysis/expect/evaluate-expectations.js';
import { expectContextFromIndex } from '../analysis/expect/expect-context.js';
import type { Clock, PreparedScenario, ScenarioCheck } from '../model/scenario-check.js';
export type { PreparedScenario, ScenarioStatus, ShrunkCounterexample, ScenarioCheck } from '../model/scenario-check.js';

/**
 * Checks a prepared scenario the way `check` does: runs the flows through the simulator over the
 * cluster (and over the cluster changed by the what-if steps, diffing the two), then evaluates every
 * expectation. Pure (given a clock, as pure as the clock).
 */
export function checkScenario(prepared: PreparedScenario, options: CheckOptions = {}): ScenarioCheck {
  const { clock } = options;
  if (!clock) return checkUntimed(prepared);
  const start = clock();
  const check = checkUntimed(prepared, clock);
  const expectations = check.timing?.expectations ?? [];
  return { ...check, timing: { seconds: Math.max(0, clock() - start), expectations } };
}

export interface CheckOptions {
  /** Given, the check carries its `timing`: the whole check and each expectation. */
  readonly clock?: Clock;
}

function checkUntimed(prepared: PreparedScenario, clock?: Clock): ScenarioCheck {
  const { scenario } = prepared;
  const base = { name: scenario.name, file: scenario.file };
  if (prepared.unreadable) {
    return { ...base, status: 'error', outcomes: [], results: [], whatIfNotes: [], diagnostics: prepared.diagnostics, summary: summarizeResults([]) };
  }
  if (prepared.timeline || scenario.expect.some((e) => e.during !== undefined || (e.kind === 'changes' && e.at !== undefined))) {
    const check = checkTimelineScenario(prepared, clock);
    const status = check.outcomes.every((o) => o.passed) ? 'passed' : 'failed';
    return { ...check, status, diagnostics: dedupe([...prepared.diagnostics, ...check.diagnostics]) };
  }
  const beforeIndex = indexReportedMesh(prepared.cluster);
  const beforeResults = run(prepared.flows, beforeIndex);
  const whatIf = scenario.hasWhatIf ? applyWhatIf(prepared.cluster, prepared.steps) : undefined;
  const afterIndex = whatIf ? indexReportedMesh(whatIf.cluster) : beforeIndex;
  const results = whatIf ? run(prepared.flows, afterIndex) : beforeResults;
  const diff = whatIf ? diffResults(beforeResults, results) : undefined;
  const expectOptions = { ...(diff ? { diff } : {}), context: expectContextFromIndex(afterIndex) };
  const timed = clock ? evaluateExpectationsTimed(scenario.expect, results, { ...expectOptions, clock }) : undefined;
  const outcomes = timed?.outcomes ?? evaluateExpectations(scenario.expect, results, expectOptions);
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
    summary: summarizeResults(results),
    ...(timed ? { timing: { seconds: 0, expectations: timed.seconds } } : {}),
  };
}

/** The flows through the simulator, in time order, with what recordings say about them; results in input order. */
function run(flows: readonly Flow[], index: MeshIndex): FlowResult[] {
  return simulate(index, flows).results as FlowResult[];
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
