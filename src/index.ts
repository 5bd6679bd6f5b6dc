/**
 * ambient-bench's public library API: pure functions from manifests text and flows to results.
 * File and stream reading lives in `ambient-bench/files`.
 */
import { evaluateFlow, type FlowEvaluation } from './core/evaluate-flow.js';
import { indexMesh, type MeshIndex } from './core/mesh-index.js';
import { resolveMesh } from './core/resolve/resolve-mesh.js';
import type { Cluster, IstiodEnv } from './model/cluster.js';
import type { Diagnostic } from './model/diagnostic.js';
import type { Flow } from './model/flow.js';
import type { SimulationReport } from './model/result.js';
import { simulate } from './sim/simulator.js';

export type * from './model/index.js';
export { describeRef, refKey, DEFAULT_MESH_CONFIG, EMPTY_CLUSTER, LINT_CODES } from './model/index.js';
export { loadManifests } from './load/manifests/load-manifests.js';
export { parseFlows } from './load/flows/parse-flows.js';
export { resolveMesh } from './core/resolve/resolve-mesh.js';
export { validateManifests, type ValidationResult } from './core/validate/validate-manifests.js';
export { indexMesh, type MeshIndex } from './core/mesh-index.js';
export { evaluateFlow, type FlowEvaluation, type CheckpointDecision } from './core/evaluate-flow.js';
export { Simulator, simulate } from './sim/simulator.js';
export { renderText, renderResult } from './report/text.js';
export { renderJson, renderJsonLines } from './report/json.js';
export { renderExplanation } from './report/explain-text.js';
export { makeStyle, type Style } from './report/style.js';
export { renderValidationText } from './report/validate-text.js';
export { renderValidationSarif, type SarifOptions } from './report/validate-sarif.js';
export { LINT_RULES, ruleText, type RuleText } from './report/lint-rules.js';

export interface MeshOptions {
  /** istiod feature flags that override the cluster's (`--istiod-env`). */
  readonly istiodEnv?: IstiodEnv;
}

/** Resolves and indexes a cluster once, for evaluating many flows. */
export function prepareMesh(cluster: Cluster, options: MeshOptions = {}): MeshIndex {
  const withEnv = options.istiodEnv ? { ...cluster, istiodEnv: { ...cluster.istiodEnv, ...options.istiodEnv } } : cluster;
  return indexMesh(resolveMesh(withEnv));
}

/** Simulates flows through a cluster and returns the report the JSON contract describes. */
export function simulateFlows(cluster: Cluster, flows: readonly Flow[], options: MeshOptions & { diagnostics?: readonly Diagnostic[] } = {}): SimulationReport {
  return simulate(prepareMesh(cluster, options), flows, options.diagnostics ?? []);
}

/** Evaluates one flow with the full evidence: every enforcement point and every policy in scope. */
export function explainFlow(cluster: Cluster, flow: Flow, options: MeshOptions = {}): FlowEvaluation {
  return evaluateFlow(flow, prepareMesh(cluster, options), { explain: true });
}
