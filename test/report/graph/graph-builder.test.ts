import { beforeAll, describe, expect, it } from 'vitest';
import { prepareMesh, simulateFlows, type Cluster, type FlowResult } from '../../../src/index.js';
import { loadManifestFiles, readFlowsFile } from '../../../src/files.js';
import { graphDirectory, NO_DIRECTORY } from '../../../src/report/graph/graph-directory.js';
import { trafficGraph, TrafficGraphBuilder } from '../../../src/report/graph/graph-builder.js';
import { namespaceGraph } from '../../../src/report/graph/namespace-graph.js';
import { denied, plaintext, result } from '../../analysis/expect/result-fixtures.js';

const viaWaypoint = (overrides: Partial<FlowResult> = {}): FlowResult => result('w', {
  decidedBy: { component: 'waypoint', name: 'payments/waypoint' }, policy: 'payments/allow-orders', rule: 0, reason: 'allow-policy-matched',
  steps: [
    { at: 'source-ztunnel node-1', code: 'routed-via-waypoint', effect: 'info', detail: { waypoint: 'payments/waypoint' } },
    { at: 'waypoint payments/waypoint', code: 'allow-policy-matched', effect: 'allow', policy: 'payments/allow-orders', rule: 0 },
  ],
  ...overrides,
});

describe('TrafficGraphBuilder aggregates results into edges by (source, destination)', () => {
  it('counts verdicts and encryption per edge and classes the edge as allowed, denied or mixed, mTLS, plaintext or mixed', () => {
    const g = trafficGraph([
      result('a'), denied('b', 'payments/deny-all'),
      plaintext('c', { source: 'legacy/batch' }), plaintext('d', { source: 'legacy/batch' }),
      result('e', { source: 'shop/web' }), plaintext('f', { source: 'shop/web' }),
    ]);
    const byId = new Map(g.edges.map((e) => [e.id, e]));
    expect(byId.get('workload:orders/checkout -> service:payments/api')).toMatchObject({ flows: 2, allowed: 1, denied: 1, verdict: 'mixed', encryption: 'mtls', policies: ['payments/deny-all'] });
    expect(byId.get('workload:legacy/batch -> service:payments/api')).toMatchObject({ flows: 2, verdict: 'allowed', encryption: 'plaintext', plaintext: 2 });
    expect(byId.get('workload:shop/web -> service:payments/api')).toMatchObject({ encryption: 'mixed', encrypted: 1, plaintext: 1 });
    expect(g.edges.map((e) => e.flows).reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('names the deciding components and policies, the ports and the waypoints of an edge', () => {
    const g = trafficGraph([viaWaypoint(), result('x', { destination: 'payments/api:8080' })]);
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]).toMatchObject({
      ports: [80, 8080], waypoints: ['waypoint:payments/waypoint'],
      decidedBy: ['destination-ztunnel node-1', 'waypoint payments/waypoint'], policies: ['payments/allow-orders'],
    });
    expect(g.nodes.find((n) => n.kind === 'waypoint')).toMatchObject({ id: 'waypoint:payments/waypoint', namespace: 'payments' });
  });

  it('tells addresses, Kubernetes nodes, pods and Services apart without a mesh', () => {
    const g = trafficGraph([
      plaintext('ext'),
      result('kubelet', { source: 'node/node-a', destination: 'payments/api-0:8080', hops: [{ from: 'node/node-a', to: 'payments/api-0', transport: 'plaintext', peerIdentity: null }] }),
      result('out', { destination: '198.51.100.7:443' }),
      result('v6', { destination: 'fd00::7:443' }),
    ]);
    expect(g.nodes.map((n) => n.id)).toEqual([
      'workload:orders/checkout', 'workload:payments/api-0', 'service:payments/api',
      'k8s-node:node-a', 'address:198.51.100.7', 'address:203.0.113.9', 'address:fd00::7',
    ]);
    expect(g.edges.find((e) => e.target === 'address:fd00::7')?.ports).toEqual([443]);
    expect(g.namespaces.map((n) => n.namespace)).toEqual(['orders', 'payments', null]);
  });

  it('takes a workload\'s Kubernetes node from the ztunnel a step names when there is no mesh', () => {
    const g = trafficGraph([viaWaypoint()]);
    expect(g.nodes.find((n) => n.id === 'workload:orders/checkout')?.k8sNodes).toEqual(['node-1']);
    expect(g.k8sNodes).toEqual(['node-1']);
  });

  it('gives the same graph, in the same order, whatever order the results come in', () => {
    const results = [result('a'), plaintext('b'), denied('c', 'p/q', { source: 'shop/web' }), viaWaypoint(), result('d', { destination: '198.51.100.7:443' })];
    const forward = trafficGraph(results);
    expect(trafficGraph([...results].reverse())).toEqual(forward);
    expect(forward.edges.map((e) => e.source)).toEqual([...forward.edges.map((e) => e.source)].sort());
  });

  it('grows with distinct edges, not with flows: 100,000 results over 3 edges give 3 edges', () => {
    const builder = new TrafficGraphBuilder(NO_DIRECTORY);
    const shapes = [result('a'), plaintext('b'), denied('c', 'p/q', { source: 'shop/web' })];
    for (let i = 0; i < 100_000; i++) builder.add(shapes[i % 3] as FlowResult);
    const g = builder.graph();
    expect(g.edges).toHaveLength(3);
    expect(g.edges.reduce((n, e) => n + e.flows, 0)).toBe(100_000);
  });
});

describe('the traffic graph of the demo cluster and flows, with the mesh as directory', () => {
  let cluster: Cluster;
  let results: readonly FlowResult[];
  beforeAll(async () => {
    cluster = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
    const flows = await readFlowsFile('scenarios/demo/flows.yaml');
    results = simulateFlows(cluster, flows.flows).results;
  });

  it('names pods by their controller whether a result names the pod or the controller', () => {
    const mesh = prepareMesh(cluster).mesh;
    const pod = mesh.workloads.find((w) => w.controller === 'orders/checkout-service');
    expect(pod).toBeDefined();
    const g = trafficGraph([result('by-pod', { source: pod?.uid as string }), result('by-controller', { source: 'orders/checkout-service' })], graphDirectory([mesh]));
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]?.source).toBe('workload:orders/checkout-service');
    expect(g.nodes.find((n) => n.id === 'workload:orders/checkout-service')).toMatchObject({ k8sNodes: [pod?.node], enrollment: pod?.enrollment });
  });

  it('reads a name shared by a Service and a controller as the Service on a Service port, else as the workload', () => {
    const g = trafficGraph(results, graphDirectory([prepareMesh(cluster).mesh]));
    const targets = g.edges.filter((e) => e.target.endsWith(':fintech-core/payment-processor')).map((e) => `${e.target} ${e.ports.join(',')}`);
    expect(targets).toContain('workload:fintech-core/payment-processor 8080');
    expect(targets).toContain('service:fintech-core/payment-processor 80');
    expect(targets.every((t) => t === 'workload:fintech-core/payment-processor 8080' || t === 'service:fintech-core/payment-processor 80')).toBe(true);
  });

  it('groups pods under their controller, places workloads on their nodes and shows the waypoint', () => {
    const mesh = prepareMesh(cluster).mesh;
    const g = trafficGraph(results, graphDirectory([mesh]));
    const ids = g.nodes.map((n) => n.id);
    const sources = mesh.workloads.filter((w) => w.waypointFor === undefined && results.some((r) => r.source === w.uid || r.source === w.controller));
    expect(sources.length).toBeGreaterThan(3);
    for (const w of sources) {
      expect(ids).toContain(`workload:${w.controller ?? w.uid}`);
      expect(g.nodes.find((n) => n.id === `workload:${w.controller ?? w.uid}`)?.k8sNodes).toContain(w.node);
      expect(ids).not.toContain(`workload:${w.uid}`);
    }
    expect(ids.filter((id) => id.startsWith('waypoint:'))).toEqual(mesh.waypoints.filter((w) => results.some((r) => r.steps.some((s) => s.at === `waypoint ${w.key}`))).map((w) => `waypoint:${w.key}`));
    expect(g.edges.reduce((n, e) => n + e.flows, 0)).toBe(results.length);
    const denials = results.filter((r) => r.verdict === 'deny').length;
    expect(g.edges.reduce((n, e) => n + e.denied, 0)).toBe(denials);
    for (const e of g.edges) {
      expect(ids).toContain(e.source);
      expect(ids).toContain(e.target);
    }
  });
});

describe('namespaceGraph() collapses a graph to its namespaces', () => {
  it('sums the edges between two namespaces, keeps loops inside one, and gathers addresses and nodes', () => {
    const g = namespaceGraph(trafficGraph([
      result('a'), result('b', { source: 'orders/cart' }), denied('c', 'p/q', { source: 'orders/cart' }),
      result('d', { source: 'payments/api-0' }), plaintext('e'), plaintext('f', { source: '198.51.100.7' }),
      result('g', { source: 'node/node-a' }), viaWaypoint(),
    ]));
    expect(g.nodes.map((n) => n.id)).toEqual(['namespace:orders', 'namespace:payments', 'k8s-node:*', 'address:*']);
    const byId = new Map(g.edges.map((e) => [e.id, e]));
    expect(byId.get('namespace:orders -> namespace:payments')).toMatchObject({ flows: 4, allowed: 3, denied: 1, verdict: 'mixed', waypoints: ['namespace:payments'], policies: ['p/q', 'payments/allow-orders'] });
    expect(byId.get('namespace:payments -> namespace:payments')).toMatchObject({ flows: 1 });
    expect(byId.get('address:* -> namespace:payments')).toMatchObject({ flows: 2, encryption: 'plaintext' });
    expect(g.edges.reduce((n, e) => n + e.flows, 0)).toBe(8);
  });
});
