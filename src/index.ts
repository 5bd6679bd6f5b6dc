/**
 * ambient-bench's public library API: pure functions from manifests text and flows to results.
 * File and stream reading lives in `ambient-bench/files`.
 */
import { evaluateFlow, type FlowEvaluation } from './dataplane/evaluate-flow.js';
import { indexMesh, type MeshIndex } from './dataplane/mesh-index.js';
import { indexReportedMesh } from './analysis/validate/ztunnel-status.js';
import type { Cluster, IstiodEnv } from './model/cluster.js';
import type { Diagnostic } from './model/diagnostic.js';
import type { Flow } from './model/flow.js';
import type { SimulationReport } from './model/result.js';
import { Simulator, simulate } from './sim/simulator.js';
import { emptyPlacement, placeRecordedFlow, placeRecordedFlows } from './dataplane/captured-addresses.js';
import type { FlowResult, Summary } from './model/result.js';
import type { RecordedTraffic } from './model/capture.js';
import type { CaptureSummary, FlowLogSummary } from './model/capture.js';
import type { WhatIfStep } from './model/scenario.js';
import { parseWhatIfFile, parseWhatIfValue } from './load/scenario/parse-what-if.js';
import { loadManifests } from './load/manifests/load-manifests.js';
import { clusterObjects } from './analysis/what-if/cluster-objects.js';
import { draftSuggestion } from './analysis/suggest/suggest-policies.js';
import { replayTally } from './analysis/suggest/replay-tally.js';
import { nearMissFlows } from './generate/suggestion-near-misses.js';
import { broaderRules } from './analysis/suggest/broader-rules.js';
import { validateManifests } from './analysis/validate/validate-manifests.js';
import { policyCoverage } from './analysis/policy-coverage.js';
import { renderPolicyDocuments } from './report/suggest-yaml.js';
import type { SuggestAt, SuggestReport } from './model/suggestion.js';

export type * from './model/index.js';
export { describeRef, refKey, DEFAULT_MESH_CONFIG, EMPTY_CLUSTER, LINT_CODES } from './model/index.js';
export { loadManifests, type LoadedManifests, type LoadStats, type ManifestInput } from './load/manifests/load-manifests.js';
export { parseFlows } from './load/flows/parse-flows.js';
export { resolveMesh } from './istiod/resolve-mesh.js';
export { validateManifests, type ValidationResult } from './analysis/validate/validate-manifests.js';
export { indexMesh, type MeshIndex } from './dataplane/mesh-index.js';
export { evaluateFlow, type FlowEvaluation, type CheckpointDecision } from './dataplane/evaluate-flow.js';
export { Simulator, simulate, type SimulatedFlow } from './sim/simulator.js';
export { DiffRun, diffRuns } from './sim/diff-runs.js';
export { simulateTimeline, type TimelineReport } from './sim/timeline/simulate-timeline.js';
export { parseTimelineFile } from './load/scenario/parse-timeline.js';
export { renderLoadText, renderPhasesText } from './report/timeline-text.js';
export { VerdictPath } from './dataplane/decide.js';
export { renderText, renderResult } from './report/text.js';
export { renderJson, renderJsonLines } from './report/json.js';
export { renderExplanation } from './report/explain-text.js';
export { makeStyle, type Style } from './report/style.js';
export { CaptureReader } from './load/capture/capture-reader.js';
export { CaptureFlowExtractor, type CaptureFlowOptions } from './load/capture/capture-flows.js';
export { readCapture, readCaptureBytes, type ReadCaptureOptions } from './load/capture/read-capture.js';
export type { PacketView } from './load/capture/packet.js';
export { parseFlowLog, type ParsedFlowLog } from './load/flow-log/parse-flow-log.js';
export { listensAt, placeRecordedFlows } from './dataplane/captured-addresses.js';
export { renderValidationText } from './report/validate-text.js';
export { renderValidationSarif, type SarifOptions } from './report/validate-sarif.js';
export { LINT_RULES, ruleText, type RuleText } from './report/lint-rules.js';
export { renderCheckJson } from './report/check-json.js';
export { renderCheckText } from './report/check-text.js';
export { renderJunit } from './report/junit.js';
export { renderDiffJson } from './report/diff-json.js';
export { renderDiffText } from './report/diff-text.js';
export { renderDiffMarkdown } from './report/markdown.js';
export { renderDiagnosticsText } from './report/diagnostics-text.js';
export { renderCoverageText } from './report/coverage-text.js';
export { escapeText } from './report/escape-text.js';
export { SimulationHtml, renderCheckHtml, renderDiffHtml } from './report/html/render-html.js';
export { htmlStream } from './report/html/html-stream.js';
export { TrafficGraphBuilder, trafficGraph } from './report/graph/graph-builder.js';
export { graphDirectory, type GraphDirectory } from './report/graph/graph-directory.js';
export { diffGraph } from './report/graph/diff-graph.js';
export { namespaceGraph } from './report/graph/namespace-graph.js';
export { renderGraphDot, renderDiffGraphDot } from './report/graph/graph-dot.js';
export { renderGraphMermaid, renderDiffGraphMermaid, MERMAID_LIMITS, type MermaidLimits } from './report/graph/graph-mermaid.js';
export { graphStream, type GraphFormat } from './report/graph/graph-stream.js';
export { IstioMetricsRecorder, type MetricsOptions } from './report/metrics/istio-metrics.js';
export type * from './report/graph/traffic-graph.js';
export { applyWhatIf } from './analysis/what-if/apply-what-if.js';
export { policyCoverage } from './analysis/policy-coverage.js';
export { renderSuggestionYaml } from './report/suggest-yaml.js';
export { renderSuggestionJson } from './report/suggest-json.js';
export { forEachGeneratedFlow, generateFlows, type GenerateFlowsOptions } from './generate/generate-flows.js';

/** What-if steps ready for `applyWhatIf` and `noChangeUnder`, with what could not be used. */
export interface ParsedWhatIf {
  readonly steps: WhatIfStep[];
  readonly diagnostics: Diagnostic[];
}

/**
 * What-if steps as a scenario's `whatIf` or a `diff --what-if` file holds them: YAML or JSON text, or
 * the same as a value (a list of steps, or a mapping with a `whatIf` list). `apply` takes inline
 * objects here; an `apply` naming files is reported and left out, since the library reads no files.
 * Never throws on user input.
 */
export function parseWhatIf(input: unknown, options: MeshOptions & { readonly file?: string } = {}): ParsedWhatIf {
  const file = options.file ?? 'what-if';
  const parsed = typeof input === 'string' ? parseWhatIfFile(input, file) : parseWhatIfValue(input, file);
  const steps: WhatIfStep[] = [];
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  for (const spec of parsed.steps) {
    if (spec.kind !== 'apply') {
      steps.push(spec);
      continue;
    }
    if (spec.files.length > 0) {
      const at = `${spec.source.file}:${spec.source.line}`;
      diagnostics.push({ severity: 'error', code: 'invalid-scenario', file: spec.source.file, line: spec.source.line, message: `${at}: apply names files (${spec.files.join(', ')}), which parseWhatIf does not read; give the objects inline, or read the files and apply their objects` });
      continue;
    }
    const loaded = loadManifests(spec.inline, { istiodEnv: { ...options.istiodEnv } });
    for (const d of loaded.diagnostics) diagnostics.push(d);
    steps.push({ kind: 'apply', objects: clusterObjects(loaded.cluster), source: spec.source });
  }
  return { steps, diagnostics };
}

export interface MeshOptions {
  /** istiod feature flags that override the cluster's (`--istiod-env`). */
  readonly istiodEnv?: IstiodEnv;
}

/** Resolves and indexes a cluster once, for evaluating many flows. */
export function prepareMesh(cluster: Cluster, options: MeshOptions = {}): MeshIndex {
  const withEnv = options.istiodEnv ? { ...cluster, istiodEnv: { ...cluster.istiodEnv, ...options.istiodEnv } } : cluster;
  return indexReportedMesh(withEnv);
}

/** Simulates flows through a cluster and returns the report the JSON contract describes. */
export function simulateFlows(cluster: Cluster, flows: readonly Flow[], options: MeshOptions & { diagnostics?: readonly Diagnostic[] } = {}): SimulationReport {
  return simulate(prepareMesh(cluster, options), flows, options.diagnostics ?? []);
}

/** Evaluates one flow with the full evidence: every enforcement point and every policy in scope. */
export function explainFlow(cluster: Cluster, flow: Flow, options: MeshOptions = {}): FlowEvaluation {
  return evaluateFlow(flow, prepareMesh(cluster, options), { explain: true });
}

/** Traffic read from captures and flow logs, with what each file held. */
export interface RecordedTrafficInput {
  readonly flows: readonly Flow[];
  readonly captures: readonly CaptureSummary[];
  readonly flowLogs: readonly FlowLogSummary[];
}

/**
 * Simulates recorded traffic in time order and adds the `capture` section: what every file held and
 * where the addresses are. `undoDnat` replays flows to a pod behind a Service as Service traffic.
 */
export function simulateRecorded(index: MeshIndex, recorded: RecordedTrafficInput, options: { undoDnat?: boolean; diagnostics?: readonly Diagnostic[] } = {}): SimulationReport {
  const placed = placeRecordedFlows(index, recorded.flows, { undoDnat: options.undoDnat === true });
  const ordered = placed.flows.map((flow, i) => ({ flow, i })).sort((a, b) => a.flow.time - b.flow.time || a.i - b.i).map((x) => x.flow);
  const report = simulate(index, ordered, options.diagnostics ?? []);
  return { ...report, capture: { captures: recorded.captures, flowLogs: recorded.flowLogs, addresses: placed.placement } };
}

/**
 * Replays recorded flows one at a time, as a capture is read, for output that streams (`-o jsonl`):
 * nothing is kept per flow, so memory stays flat whatever the size of the capture.
 */
export class RecordedReplay {
  private readonly sim: Simulator;
  private readonly tally = emptyPlacement();

  constructor(private readonly index: MeshIndex, private readonly options: { undoDnat?: boolean; logTunnels?: boolean } = {}) {
    this.sim = new Simulator(index, { logTunnels: options.logTunnels === true });
  }

  /** With `logTunnels`: the simulator's log of pooled HBONE requests, and the names it numbers (Simulator `tunnelLog`). */
  get tunnelLog(): number[] {
    return this.sim.tunnelLog;
  }

  get tunnelNames(): readonly string[] {
    return this.sim.tunnelNames;
  }

  /** Places (DNAT note or undo), evaluates and accounts one flow; returns its result. */
  replay(flow: Flow): FlowResult {
    return this.sim.processFlow(this.place(flow)).result;
  }

  /**
   * The flow as the replay decides it: placed (a DNAT note, or undone), and counted where its
   * addresses are. For a caller that decides it on `simulator` itself (once, and only once per flow).
   */
  place(flow: Flow): Flow {
    return placeRecordedFlow(this.index, flow, this.tally, this.options);
  }

  /** The simulator the replay decides on. */
  get simulator(): Simulator {
    return this.sim;
  }

  /** The HBONE tunnels the components' pools hold, by name (Simulator `pooledTunnels`). */
  pooledTunnels(): ReturnType<Simulator['pooledTunnels']> {
    return this.sim.pooledTunnels();
  }

  /** The report's tail: summary with counters, and the capture section. */
  finish(recorded: Omit<RecordedTrafficInput, 'flows'>): { summary: Summary; capture: RecordedTraffic } {
    return { summary: this.sim.summary(), capture: { captures: recorded.captures, flowLogs: recorded.flowLogs, addresses: this.tally } };
  }
}

/** The file name suggested policies are loaded and validated under, in diagnostics of the replay. */
export const SUGGESTED_POLICIES_FILE = 'suggested-policies.yaml';

export interface SuggestOptions extends MeshOptions {
  /** Where rules go: `auto` (default) puts HTTP rules at waypoints, `ztunnel` only L4, `waypoint` asks for waypoints everywhere. */
  readonly at?: SuggestAt;
  /** Results of the same traffic through the cluster as given: existing rules broader than needed come from their coverage. */
  readonly results?: readonly FlowResult[];
}

/**
 * Least-privilege ALLOW AuthorizationPolicies for observed traffic, each at the enforcement point
 * that can enforce it, verified by replay: the policies are written as YAML, loaded and validated as
 * `validate` would, added to the cluster with its own AuthorizationPolicies removed, and the observed
 * flows and generated near misses replayed through the simulator. Never throws on user input.
 */
export function suggestPolicies(cluster: Cluster, flows: readonly Flow[], options: SuggestOptions = {}): SuggestReport {
  const env = { ...cluster.istiodEnv, ...options.istiodEnv };
  const baselineCluster: Cluster = { ...cluster, istiodEnv: env, authorizationPolicies: [] };
  const baseline = prepareMesh(baselineCluster);
  const work = draftSuggestion(baseline, flows, { at: options.at ?? 'auto' });
  const nearMisses = nearMissFlows(baseline, work.sightings, work.suggestion.policies);
  const loaded = loadManifests([{ file: SUGGESTED_POLICIES_FILE, text: renderPolicyDocuments(work.suggestion.policies) }], { istiodEnv: env });
  const replayCluster: Cluster = { ...baselineCluster, authorizationPolicies: loaded.cluster.authorizationPolicies };
  const findings = [...loaded.diagnostics, ...validateManifests(replayCluster).diagnostics.filter((d) => d.file === SUGGESTED_POLICIES_FILE)];
  const validation = findings.filter((d) => d.severity !== 'info').map((d) => ({ severity: d.severity, code: d.code, message: d.message }));
  const replayIndex = prepareMesh(replayCluster);
  const observed = simulate(replayIndex, flows, []).results;
  const misses = simulate(replayIndex, nearMisses.map((m) => m.flow), []).results;
  const replay = replayTally(work.admitted, observed, nearMisses.map((miss, i) => ({ miss, verdict: (misses[i] as FlowResult).verdict })), validation);
  const broader = options.results && cluster.authorizationPolicies.length > 0
    ? broaderRules(policyCoverage(prepareMesh(cluster, options).mesh, options.results), cluster.authorizationPolicies, options.results)
    : [];
  return { suggestion: work.suggestion, replay, broader };
}
