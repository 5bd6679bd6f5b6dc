import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readScenario } from '../../src/files/scenarios.js';
import { loadManifestFiles } from '../../src/files.js';
import { checkInvariant, flowsOver, generateFlows, invariant, smallCluster, type FlowsOverOptions } from '../../src/generate/index.js';
import { indexMesh, type MeshIndex } from '../../src/dataplane/mesh-index.js';
import { resolveMesh } from '../../src/istiod/resolve-mesh.js';
import type { Cluster } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';
import type { Workload } from '../../src/model/mesh.js';

/**
 * Generated traffic is traffic the cluster could carry: every flow goes to a port the manifests
 * declare, over the protocol they declare for it (UDP only where a port says UDP). A Service port is
 * a (port, protocol) pair (kubernetes pkg/proxy/iptables/proxier.go `syncProxyRules`); a pod serves
 * its container ports and the target ports of the Services that select it, with the Service port's
 * protocol (staging/src/k8s.io/endpointslice/utils.go `getEndpointPorts`).
 */

const EXTERNAL_SERVER = '203.0.113.80';

/** Why a flow is not one the manifests declare, or undefined when it is. Written from the mesh, apart from the generator. */
function undeclared(f: Flow, index: MeshIndex): string | undefined {
  const protocol = f.protocol === 'udp' ? 'UDP' : 'TCP';
  const { port } = f.destination;
  const what = `${f.protocol} to ${f.destination.service ?? f.destination.ip ?? f.destination.workload}:${port}`;
  if (f.destination.ip === EXTERNAL_SERVER) return port === 443 && protocol === 'TCP' ? undefined : what;
  const service = f.destination.service !== undefined ? index.serviceByKey.get(f.destination.service) : index.serviceByVip.get(f.destination.ip ?? '');
  if (service) return service.ports.some((p) => p.port === port && p.protocol === protocol) ? undefined : what;
  const pod = f.destination.ip !== undefined ? index.workloadByIp.get(f.destination.ip) : undefined;
  if (pod) return podServes(pod, port, protocol, index) ? undefined : what;
  return `${what}: not an address of the cluster`;
}

function podServes(w: Workload, port: number, protocol: string, index: MeshIndex): boolean {
  if (w.ports.some((c) => c.containerPort === port && c.protocol === protocol)) return true;
  return (index.servicesByEndpoint.get(w.uid) ?? []).some((s) => s.ports.some((p) => p.protocol === protocol
    && (p.targetPort === port || w.ports.some((c) => c.name === p.targetPort && c.containerPort === port))));
}

const VARIANTS: readonly [string, FlowsOverOptions][] = [['default options', {}], ['without UDP', { udp: false }], ['without node clients', { nodes: false }]];

const bundled = new Map<string, Cluster>();
beforeAll(async () => {
  bundled.set('scenarios/demo/cluster', (await loadManifestFiles(['scenarios/demo/cluster'])).cluster);
  for (const dir of readdirSync('scenarios', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = join('scenarios', dir, 'scenario.yaml');
    if (readdirSync(join('scenarios', dir)).includes('scenario.yaml')) bundled.set(file, (await readScenario(file, { root: 'scenarios' })).cluster);
  }
});

describe('generated traffic over every bundled cluster', () => {
  it('covers the demo and every bundled scenario', () => {
    expect(bundled.size).toBeGreaterThanOrEqual(12);
    for (const [name, c] of bundled) expect(c.pods.length + c.controllers.length, name).toBeGreaterThan(0);
  });

  it.each(VARIANTS)('contains no flow to an undeclared port or protocol (%s, 3 seeds of 400 flows each)', (_name, options) => {
    for (const [name, c] of bundled) {
      const index = indexMesh(resolveMesh(c));
      for (const seed of [1, 2, 3]) {
        const flows = generateFlows(c, { ...options, count: 400, seed });
        const wrong = flows.flatMap((f) => undeclared(f, index) ?? []);
        expect(wrong, `${name}, seed ${seed}`).toEqual([]);
      }
    }
  }, 60_000);

  it('carries UDP only where a bundled cluster declares a UDP port (the demo\'s kube-dns on 53)', () => {
    const demo = bundled.get('scenarios/demo/cluster') as Cluster;
    const udp = generateFlows(demo, { count: 2000, seed: 1 }).filter((f) => f.protocol === 'udp');
    expect(udp.length).toBeGreaterThan(0);
    expect(new Set(udp.map((f) => f.destination.port))).toEqual(new Set([53]));
  });

  it('shrinks every counterexample to a flow the cluster declares (an invariant broken by any flow that is not denied, seed 1)', () => {
    const anyAllowed = invariant('every flow is denied', (_f, r) => r.verdict === 'deny');
    for (const [name, c] of bundled) {
      const outcome = checkInvariant(c, anyAllowed, { seed: 1, minimise: false });
      const flow = outcome.counterexample?.flow;
      expect(flow, name).toBeDefined();
      expect(undeclared(flow as Flow, indexMesh(resolveMesh(c))), name).toBeUndefined();
    }
  }, 60_000);

  it('does go to undeclared ports and protocols with undeclaredPorts, so the check above can fail', () => {
    const demo = bundled.get('scenarios/demo/cluster') as Cluster;
    const index = indexMesh(resolveMesh(demo));
    const flows = generateFlows(demo, { count: 400, seed: 1, undeclaredPorts: true });
    expect(flows.filter((f) => undeclared(f, index) !== undefined).length).toBeGreaterThan(20);
  });
});

describe('generated traffic over random small clusters', () => {
  it('contains no flow to an undeclared port or protocol (60 clusters with policies, 50 flows each)', () => {
    fc.assert(fc.property(smallCluster({ policies: true }), fc.integer(), (c, seed) => {
      const index = indexMesh(resolveMesh(c));
      const flows = fc.sample(flowsOver(index), { numRuns: 50, seed });
      return flows.every((f) => undeclared(f, index) === undefined);
    }), { numRuns: 60, seed: 3 });
  }, 60_000);

  it('shrinks a counterexample to a flow the cluster declares', () => {
    const c = fc.sample(smallCluster({ policies: true }), { numRuns: 1, seed: 8 })[0] as Cluster;
    const index = indexMesh(resolveMesh(c));
    const details = fc.check(fc.property(flowsOver(index), (f) => f.protocol !== 'tcp' || f.destination.port === 1), { seed: 5 });
    const shrunk = details.counterexample?.[0] as Flow | undefined;
    expect(shrunk).toBeDefined();
    expect(undeclared(shrunk as Flow, index)).toBeUndefined();
  });
});
