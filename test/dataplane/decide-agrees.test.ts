import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import type { MeshIndex } from '../../src/dataplane/mesh-index.js';
import { authorizeAtZtunnel } from '../../src/dataplane/authz/ztunnel-rbac.js';
import { VerdictPath } from '../../src/dataplane/decide.js';
import { loadManifestFiles } from '../../src/files.js';
import { clusterWithPolicies, flowsOver, smallClusterFlow } from '../../src/generate/index.js';
import { prepareMesh } from '../../src/index.js';
import { decisionFields } from '../support/decision-fields.js';
import type { Decision } from '../../src/model/decision.js';
import type { Flow } from '../../src/model/flow.js';

/** The same request without headers too: headers reach a memoised waypoint chain only through the host. */
function variants(flow: Flow, i: number): Flow[] {
  const renamed = { ...flow, id: `${flow.id}#${i}` };
  if (!flow.http) return [renamed];
  return [renamed, { ...renamed, id: `${renamed.id}-bare`, http: { ...flow.http, headers: {} } }];
}

/**
 * Decides every flow on one verdict path (memo tables filled as they go) and compares with the evidence
 * evaluator. The evaluator is a pure function of the flow and the mesh, so a flow given twice (to check
 * the answers from the memo tables) is compared with the evaluator's answer computed once.
 */
let compiledDecisions = 0;
let allDecisions = 0;

function disagreements(index: MeshIndex, flows: readonly Flow[]): { flow: Flow; decide: Decision; explain: Decision }[] {
  const path = new VerdictPath(index);
  const explainedBefore = new Map<Flow, string>();
  const out: { flow: Flow; decide: Decision; explain: Decision }[] = [];
  for (const flow of flows) {
    const decided = decisionFields(path.decide(flow));
    allDecisions++;
    // The verdict path answered it itself: no evidence was built.
    if (path.lastEvaluation === undefined) compiledDecisions++;
    let explained = explainedBefore.get(flow);
    if (explained === undefined) explainedBefore.set(flow, (explained = JSON.stringify(decisionFields(evaluateFlow(flow, index).result))));
    if (JSON.stringify(decided) !== explained) out.push({ flow, decide: decided, explain: JSON.parse(explained) as Decision });
  }
  return out;
}

/** Every ztunnel checkpoint of the evidence, decided again by the string matcher alone (ztunnel-rbac.ts), where they differ. */
function matcherDisagreements(index: MeshIndex, flows: readonly Flow[]): unknown[] {
  const out: unknown[] = [];
  for (const flow of flows) {
    for (const { checkpoint, decision } of evaluateFlow(flow, index, { explain: true }).decisions) {
      if (checkpoint.component !== 'destination-ztunnel' || !checkpoint.workload) continue;
      const byStrings = authorizeAtZtunnel(index.ztunnelPoliciesFor(checkpoint.workload), checkpoint.attributes, { explain: true });
      if (JSON.stringify(byStrings) !== JSON.stringify(decision)) out.push({ flow, compiled: decision, strings: byStrings });
    }
  }
  return out;
}

/**
 * A guard against hangs, not a speed figure: the generated test takes about 7 s on an idle core and
 * came near the 30 s default on a busy 2-core machine. Its 250 clusters of 800 flows each are kept.
 */
const HANG_MS = 120_000;

describe('decide() agrees with the evidence evaluator on every field they share, and the compiled ztunnel matcher with the string matcher', () => {
  it('over generated clusters and flows biased to their policy boundaries', () => {
    let checked = 0;
    fc.assert(fc.property(clusterWithPolicies(), fc.integer({ min: 1, max: 2 ** 30 }), (cluster, seed) => {
      const index = prepareMesh(cluster);
      const biased = fc.sample(flowsOver(index, { undeclaredPorts: true }), { numRuns: 300, seed });
      const uniform = fc.sample(smallClusterFlow, { numRuns: 100, seed: seed + 1 });
      const flows = [...biased, ...uniform].flatMap(variants);
      // Each flow twice: the second pass is answered from the memo tables.
      const all = [...flows, ...flows];
      checked += all.length;
      expect(disagreements(index, all)).toEqual([]);
      expect(matcherDisagreements(index, flows)).toEqual([]);
    }), { numRuns: 250 });
    expect(checked).toBeGreaterThan(200_000);
    // The comparison means something only if most flows took the compiled path, not the evidence evaluator.
    expect(compiledDecisions / allDecisions).toBeGreaterThan(0.9);
  }, HANG_MS);

  const scenarios = readdirSync('scenarios', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it.each(scenarios)('over the bundled scenario %s (some with sidecars, ingress gateways, host-network pods and named target ports)', async (name) => {
    const dir = `scenarios/${name}`;
    const cluster = readdirSync(dir).includes('cluster') ? `${dir}/cluster` : dir;
    const loaded = await loadManifestFiles([cluster]);
    const index = prepareMesh(loaded.cluster);
    const flows = fc.sample(flowsOver(index, { undeclaredPorts: true }), { numRuns: 2000, seed: 7 }).flatMap(variants);
    expect(flows.length).toBeGreaterThan(2000);
    expect(disagreements(index, flows)).toEqual([]);
    expect(matcherDisagreements(index, flows)).toEqual([]);
  });
});
