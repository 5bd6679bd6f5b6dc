import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MeshIndex } from '../../src/dataplane/mesh-index.js';
import { RouteJson } from '../../src/dataplane/route-json.js';
import { loadManifestFiles } from '../../src/files.js';
import { clusterWithPolicies, flowsOver, smallClusterFlow } from '../../src/generate/index.js';
import { prepareMesh } from '../../src/index.js';
import type { Flow } from '../../src/model/flow.js';
import { resultJson } from '../../src/report/result-json.js';
import { Simulator } from '../../src/sim/simulator.js';
import { richCluster, richVariants } from '../support/rich-cluster.js';

interface Tally {
  written: number;
  flows: number;
  readonly steps: Set<string>;
}

/**
 * Decides each flow with the simulator and, where RouteJson writes its line, compares it byte for
 * byte with the built result as resultJson and JSON.stringify write it.
 */
function differences(index: MeshIndex, flows: readonly Flow[], tally: Tally): unknown[] {
  const sim = new Simulator(index);
  const lines = new RouteJson(sim.verdictPath.compiled);
  const out: unknown[] = [];
  for (const flow of flows) {
    const decision = sim.decide(flow);
    const line = lines.json(flow, sim.verdictPath.route, decision);
    const built = sim.resultOf(flow, sim.lastEvaluation);
    tally.flows++;
    if (line === undefined) continue;
    tally.written++;
    tally.steps.add(built.steps.map((s) => s.code).join('>'));
    if (line !== resultJson(built) || line !== JSON.stringify(built)) out.push({ flow, line, built: JSON.stringify(built) });
  }
  return out;
}

/**
 * The same request without headers, once more with application TLS (a recorded fact the line leaves
 * to the result), and as a capture's and a flow log's (whose origin the line writes after its steps).
 */
function variants(flow: Flow, i: number): Flow[] {
  const renamed = { ...flow, id: `${flow.id}#${i}` };
  const bare = flow.http ? [{ ...renamed, id: `${renamed.id}-bare`, http: { ...flow.http, headers: {} } }] : [];
  const recorded: Flow[] = i % 3 !== 0 ? [] : [
    { ...renamed, id: `${renamed.id}-pcap`, origin: { kind: 'capture', source: { file: 'a "b".pcap', document: 0, line: 1 }, packet: i, ...(i % 2 === 0 ? { note: 'no SYN: the client is the side that sent first' } : {}) } },
    { ...renamed, id: `${renamed.id}-log`, origin: { kind: 'flow-log', source: { file: 'hubble.json', document: 0, line: i + 1 } } },
  ];
  return [renamed, ...bare, ...recorded, ...(i % 7 === 0 ? [{ ...renamed, id: `${renamed.id}-tls`, appTls: { sni: 'a.example' } }] : [])];
}

const SEED = 1;

describe('RouteJson writes a result line exactly as resultJson writes the built result, wherever it answers', () => {
  it('over generated clusters and flows biased to their policy boundaries', () => {
    const tally: Tally = { written: 0, flows: 0, steps: new Set() };
    fc.assert(fc.property(clusterWithPolicies(), fc.integer({ min: 1, max: 2 ** 30 }), (cluster, seed) => {
      const index = prepareMesh(cluster);
      const flows = [...fc.sample(flowsOver(index, { undeclaredPorts: true }), { numRuns: 200, seed }), ...fc.sample(smallClusterFlow, { numRuns: 60, seed: seed + 1 })].flatMap(variants);
      expect(differences(index, [...flows, ...flows], tally)).toEqual([]);
    }), { numRuns: 150, seed: SEED });
    expect(tally.written / tally.flows).toBeGreaterThan(0.2);
    for (const shape of ['routed-hbone-direct>allow-policy-matched', 'routed-plaintext-from-unenrolled>deny-policy-matched']) {
      expect([...tally.steps]).toContain(shape);
    }
    expect([...tally.steps].some((r) => r.startsWith('routed-via-waypoint>'))).toBe(true);
  });

  it('over clusters with host-network and IPv6 pods, replicas, named target ports, pod waypoints, dry-run policies and hosts and when rules', () => {
    const tally: Tally = { written: 0, flows: 0, steps: new Set() };
    fc.assert(fc.property(richCluster, fc.integer({ min: 1, max: 2 ** 30 }), (cluster, seed) => {
      const index = prepareMesh(cluster);
      const flows = fc.sample(flowsOver(index, { loopback: true, undeclaredPorts: true }), { numRuns: 100, seed }).flatMap(richVariants).flatMap(variants);
      expect(differences(index, [...flows, ...flows], tally)).toEqual([]);
    }), { numRuns: 80, seed: SEED });
    expect(tally.written / tally.flows).toBeGreaterThan(0.2);
    expect([...tally.steps].some((r) => r.startsWith('waypoint-bypassed-pod-addressed>'))).toBe(true);
    expect([...tally.steps].some((r) => r.startsWith('source-own-waypoint-skipped>') || r.includes('waypoint-bypassed-service-addressed'))).toBe(true);
  });

  const scenarios = readdirSync('scenarios', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it.each(scenarios)('over the bundled scenario %s', async (name) => {
    const dir = `scenarios/${name}`;
    const cluster = readdirSync(dir).includes('cluster') ? `${dir}/cluster` : dir;
    const index = prepareMesh((await loadManifestFiles([cluster])).cluster);
    const tally: Tally = { written: 0, flows: 0, steps: new Set() };
    const flows = fc.sample(flowsOver(index, { undeclaredPorts: true }), { numRuns: 1000, seed: 11 }).flatMap(variants);
    expect(differences(index, flows, tally)).toEqual([]);
    expect(tally.flows).toBeGreaterThan(1000);
  });
});
