import { diffResults, type ResultDiff } from '../../analysis/diff/diff-results.js';
import { evaluateExpectations } from '../../analysis/expect/evaluate-expectations.js';
import { expectContextFromIndex } from '../../analysis/expect/expect-context.js';
import { indexReportedMesh } from '../../analysis/validate/ztunnel-status.js';
import { applyWhatIf } from '../../analysis/what-if/apply-what-if.js';
import type { Cluster } from '../../model/cluster.js';
import type { ExpectationOutcome } from '../../model/expectation.js';
import type { Flow } from '../../model/flow.js';
import type { FlowResult } from '../../model/result.js';
import type { ChangeCounts, Expectation, WhatIfStep } from '../../model/scenario.js';
import type { Clock, PhaseCheck, PreparedScenario, ScenarioCheck } from '../../model/scenario-check.js';
import type { TimelineEntry, TimelineSpec } from '../../model/timeline.js';
import { simulate } from '../simulator.js';
import { simulateTimeline, type TimelineReport } from './simulate-timeline.js';

/**
 * Checks a scenario with a timeline (DESIGN.md "Timeline"): the flows run through the timeline;
 * an expectation with `during: <phase>` is evaluated over the flows of that phase; `changes` compares
 * the whole traffic under the configuration before and after a phase starts (`at`), or under the
 * starting and the final configuration. Every phase boundary's changes are reported. Pure.
 */
export function checkTimelineScenario(prepared: PreparedScenario, clock?: Clock): Omit<ScenarioCheck, 'diagnostics' | 'status'> & { diagnostics: ScenarioCheck['diagnostics'] } {
  const timeline = withWhatIfFirst(prepared);
  const report = simulateTimeline(prepared.cluster, prepared.flows, timeline);
  const replay = new ConfigurationReplay(prepared.cluster, timeline.entries, prepared.flows);
  const phases = report.phases.map((phase): PhaseCheck => ({ phase, changes: changeCounts(replay.changesAt(phase.start)) }));
  const overall = replay.overall();
  const context = expectContextFromIndex(replay.finalIndex());
  const seconds: number[] = [];
  const outcomes = prepared.scenario.expect.map((e) => {
    const start = clock?.();
    const outcome = evaluateTimed(e, report, replay, overall, context);
    if (clock && start !== undefined) seconds.push(Math.max(0, clock() - start));
    return outcome;
  });
  return {
    name: prepared.scenario.name, file: prepared.scenario.file, outcomes, results: report.results,
    ...(overall ? { before: replay.resultsAt(0, false), diff: overall } : {}),
    whatIfNotes: report.notes, diagnostics: [...report.diagnostics], summary: report.summary, phases,
    ...(clock ? { timing: { seconds: 0, expectations: seconds } } : {}),
  };
}

function evaluateTimed(e: Expectation, report: TimelineReport, replay: ConfigurationReplay, overall: ResultDiff | undefined, context: ReturnType<typeof expectContextFromIndex>): ExpectationOutcome {
  const names = report.phases.map((p) => p.name);
  const phase = e.kind === 'changes' ? e.at : e.during;
  if (phase !== undefined && !names.includes(phase)) return { expectation: e, passed: false, failure: { kind: 'unknown-phase', phase, phases: names }, checked: 0 };
  const start = report.phases.find((p) => p.name === phase)?.start;
  const diff = e.kind === 'changes' && start !== undefined ? replay.changesAt(start) : overall;
  const results = e.during !== undefined && e.kind !== 'changes' ? report.results.filter((r) => r.phase === e.during) : report.results;
  const [outcome] = evaluateExpectations([e], results, { ...(diff ? { diff } : {}), context });
  return outcome as ExpectationOutcome;
}

function changeCounts(diff: ResultDiff): ChangeCounts {
  const { allowedToDenied, deniedToAllowed, encryptedToPlaintext, plaintextToEncrypted } = diff.counts;
  return { allowedToDenied, deniedToAllowed, encryptedToPlaintext, plaintextToEncrypted };
}

/** A scenario's `whatIf` steps are the special case of configuration events at time 0, before the timeline's own. */
function withWhatIfFirst(prepared: PreparedScenario): TimelineSpec<WhatIfStep> {
  const timeline = prepared.timeline ?? { entries: [], settings: { pushDelay: 0 } };
  const first = prepared.steps.map((step): TimelineEntry => ({ kind: 'configure', at: 0, step, source: step.source }));
  return first.length === 0 ? timeline : { entries: [...first, ...timeline.entries], settings: timeline.settings };
}

/** The whole traffic replayed under the configuration in force just before or just after a time. */
class ConfigurationReplay {
  private readonly steps: { readonly at: number; readonly step: WhatIfStep }[];
  private readonly byCount = new Map<number, FlowResult[]>();
  private readonly clusters = new Map<number, Cluster>();

  constructor(private readonly cluster: Cluster, entries: readonly TimelineEntry[], private readonly flows: readonly Flow[]) {
    const configured = entries.filter((e): e is Extract<TimelineEntry, { kind: 'configure' }> => e.kind === 'configure');
    this.steps = configured.map((e, i) => ({ at: e.at, step: e.step, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  }

  /** Results under the steps before `time` (`inclusive`: up to and with the steps at `time`). */
  resultsAt(time: number, inclusive: boolean): FlowResult[] {
    const count = this.steps.filter((s) => s.at < time || (inclusive && s.at === time)).length;
    let results = this.byCount.get(count);
    if (!results) this.byCount.set(count, (results = simulate(indexReportedMesh(this.clusterAfter(count)), this.flows).results as FlowResult[]));
    return results;
  }

  /** What the steps at `time` change, over the whole traffic. */
  changesAt(time: number): ResultDiff {
    return diffResults(this.resultsAt(time, false), this.resultsAt(time, true));
  }

  /** The starting configuration against the final one; undefined when the timeline changes no configuration. */
  overall(): ResultDiff | undefined {
    return this.steps.length === 0 ? undefined : diffResults(this.resultsAt(0, false), this.resultsAt(Infinity, true));
  }

  finalIndex(): ReturnType<typeof indexReportedMesh> {
    return indexReportedMesh(this.clusterAfter(this.steps.length));
  }

  private clusterAfter(count: number): Cluster {
    let c = this.clusters.get(count);
    if (!c) this.clusters.set(count, (c = count === 0 ? this.cluster : applyWhatIf(this.cluster, this.steps.slice(0, count).map((s) => s.step)).cluster));
    return c;
  }
}
