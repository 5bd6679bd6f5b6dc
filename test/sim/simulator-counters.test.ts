import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import type { MeshIndex } from '../../src/dataplane/mesh-index.js';
import { loadManifestFiles } from '../../src/files.js';
import { clusterWithPolicies, flowsOver, smallClusterFlow } from '../../src/generate/index.js';
import { prepareMesh } from '../../src/index.js';
import type { Flow } from '../../src/model/flow.js';
import { ComponentState } from '../../src/sim/component-state.js';
import { Simulator } from '../../src/sim/simulator.js';

/**
 * Component counters as they were counted from each flow's full evaluation before the verdict path:
 * every HBONE hop opens or reuses a tunnel in the pool of the node's ztunnel (the first hop) or of the
 * waypoint it leaves; every enforcement point counts a connection, HTTP requests at L7 points, and denials.
 */
function countersFromEvidence(index: MeshIndex, flows: readonly Flow[]) {
  const components = { ztunnel: new Map<string, ComponentState>(), waypoint: new Map<string, ComponentState>(), sidecar: new Map<string, ComponentState>() };
  const get = (kind: 'ztunnel' | 'waypoint' | 'sidecar', name: string): ComponentState => {
    let c = components[kind].get(name);
    if (!c) components[kind].set(name, (c = new ComponentState(kind, name)));
    return c;
  };
  for (const flow of flows) {
    const e = evaluateFlow(flow, index);
    e.result.hops.forEach((hop, i) => {
      if (hop.transport !== 'hbone') return;
      const sender = i === 0 && e.sourceNode !== undefined ? get('ztunnel', e.sourceNode) : index.waypointByKey.has(hop.from) ? get('waypoint', hop.from) : undefined;
      sender?.useTunnel(hop.peerIdentity, hop.from, hop.to);
    });
    for (const { checkpoint, decision } of e.decisions) {
      const kind = checkpoint.component === 'destination-ztunnel' ? 'ztunnel' : checkpoint.component;
      const c = get(kind, checkpoint.name);
      c.connections++;
      if (flow.protocol === 'http' && kind !== 'ztunnel') c.requests++;
      if (decision.verdict === 'deny') c.denials++;
    }
  }
  const byName = (m: Map<string, ComponentState>) => [...m.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return [...byName(components.waypoint), ...byName(components.ztunnel), ...byName(components.sidecar)].map((c) => c.snapshot());
}

function simulatorCounters(index: MeshIndex, flows: readonly Flow[]) {
  const sim = new Simulator(index);
  for (const f of flows) sim.decide(f);
  return sim.counters();
}

describe('the simulator counts from the verdict path exactly what a full evaluation of each flow shows', () => {
  it('over generated clusters and flows, loopback included', () => {
    let tunnels = 0;
    fc.assert(fc.property(clusterWithPolicies(), fc.integer({ min: 1, max: 2 ** 30 }), (cluster, seed) => {
      const index = prepareMesh(cluster);
      const flows = [...fc.sample(flowsOver(index, { loopback: true, undeclaredPorts: true }), { numRuns: 200, seed }), ...fc.sample(smallClusterFlow, { numRuns: 50, seed })].map((f, i) => ({ ...f, id: `f${i}` }));
      const expected = countersFromEvidence(index, flows);
      tunnels += expected.reduce((n, c) => n + c.tunnelsOpened, 0);
      expect(simulatorCounters(index, flows)).toEqual(expected);
    }), { numRuns: 100 });
    expect(tunnels).toBeGreaterThan(0);
  });

  const scenarios = readdirSync('scenarios', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

  it.each(scenarios)('over the bundled scenario %s', async (name) => {
    const dir = `scenarios/${name}`;
    const loaded = await loadManifestFiles([readdirSync(dir).includes('cluster') ? `${dir}/cluster` : dir]);
    const index = prepareMesh(loaded.cluster);
    const flows = fc.sample(flowsOver(index, { loopback: true, undeclaredPorts: true }), { numRuns: 1000, seed: 3 }).map((f, i) => ({ ...f, id: `f${i}` }));
    expect(simulatorCounters(index, flows)).toEqual(countersFromEvidence(index, flows));
  });
});
