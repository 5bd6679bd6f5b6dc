import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { prepareMesh } from '../../src/index.js';
import { resolveMesh } from '../../src/istiod/resolve-mesh.js';
import type { Cluster } from '../../src/model/cluster.js';
import { allow, ambientNamespace, cluster, deny, flow, namespace, node, pod, service, waypoint } from '../support/builders.js';

const run = (c: Cluster, f: ReturnType<typeof flow>) => evaluateFlow(f, prepareMesh(c)).result;

function world(extra: Parameters<typeof cluster>[0], options: { apiLabels?: Record<string, string>; podLabels?: Record<string, string>; wp?: Parameters<typeof waypoint>[1]; wpRef?: string } = {}): Cluster {
  return cluster([
    node('node-1', '172.20.0.1'), node('node-2', '172.20.0.2'),
    ambientNamespace('shop'), ambientNamespace('pay'), ambientNamespace('shared'), namespace('istio-system'),
    pod('shop/client', '10.0.1.1', { node: 'node-1' }),
    pod('shop/neighbour', '10.0.1.2', { node: 'node-1' }),
    pod('pay/api', '10.0.2.1', { node: 'node-2', labels: options.podLabels ?? {} }),
    service('pay/api', '10.96.0.10', { labels: options.apiLabels ?? {} }),
    service('pay/other', '10.96.0.11', { selector: { app: 'api' } }),
    waypoint(options.wpRef ?? 'pay/wp', options.wp ?? {}),
    ...extra,
  ]);
}

describe('HBONE and identities (semantics §6)', () => {
  it('same-node traffic also goes over HBONE and meets the same enforcement (outbound.rs build_request_known_dest_local_node_hbone)', () => {
    const r = run(world([deny('shop/no-neighbours', [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/client'] } }] }], { selector: { matchLabels: { app: 'neighbour' } } })]), flow('shop/client', 'pod:shop/neighbour:8080'));
    expect(r.hops).toEqual([{ from: 'shop/client', to: 'shop/neighbour', transport: 'hbone', peerIdentity: 'spiffe://cluster.local/ns/shop/sa/client' }]);
    expect(r).toMatchObject({ verdict: 'deny', policy: 'shop/no-neighbours', decidedBy: { component: 'destination-ztunnel', name: 'node-1' } });
  });

  it('identities are spiffe://<trust domain>/ns/<ns>/sa/<sa> with the mesh trust domain (ztunnel src/identity/manager.rs Identity)', () => {
    const c = { ...world([]), meshConfig: { ...world([]).meshConfig, trustDomain: 'corp.example' } };
    expect(run(c, flow('shop/client', 'pay/api:80')).hops[0]?.peerIdentity).toBe('spiffe://corp.example/ns/shop/sa/client');
  });

  it('a cluster.local principal matches at the waypoint (trust-domain aliasing) but not at ztunnel (semantics §8, code-derived)', () => {
    const rule = [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/client'] } }] }];
    const base = world([
      allow('pay/at-waypoint', rule, { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] }),
    ], { apiLabels: { 'istio.io/use-waypoint': 'wp' } });
    const custom = { ...base, meshConfig: { ...base.meshConfig, trustDomain: 'corp.example' } };
    expect(run(custom, flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'allow', policy: 'pay/at-waypoint', decidedBy: { component: 'waypoint' } });
    const atZtunnel = world([allow('pay/at-ztunnel', rule, { selector: { matchLabels: { app: 'api' } } })]);
    const customZ = { ...atZtunnel, meshConfig: { ...atZtunnel.meshConfig, trustDomain: 'corp.example' } };
    expect(run(customZ, flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
  });
});

describe('waypoint policy binding (semantics §3, policyattachment.go ShouldAttachPolicy)', () => {
  const viaWp = { apiLabels: { 'istio.io/use-waypoint': 'wp' } };
  it('a Service-bound policy applies only to that Service\'s traffic through the waypoint', () => {
    const p = deny('pay/deny-api', [{}], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] });
    const both = { apiLabels: { 'istio.io/use-waypoint': 'wp' } };
    const c = world([p, service('pay/other2', '10.96.0.12', { selector: { app: 'api' }, labels: { 'istio.io/use-waypoint': 'wp' } })], both);
    expect(run(c, flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'deny', policy: 'pay/deny-api', decidedBy: { component: 'waypoint' } });
    expect(run(c, flow('shop/client', 'pay/other2:80'))).toMatchObject({ verdict: 'allow' });
  });

  it('a Gateway-bound policy applies to all traffic through that waypoint', () => {
    const p = deny('pay/deny-all-wp', [{}], { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] });
    expect(run(world([p], viaWp), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'deny', policy: 'pay/deny-all-wp' });
  });

  it('a GatewayClass istio-waypoint policy binds every waypoint only from the root namespace', () => {
    const ref = { targetRefs: [{ kind: 'GatewayClass', group: 'gateway.networking.k8s.io', name: 'istio-waypoint' }] };
    expect(run(world([deny('istio-system/all-waypoints', [{}], ref)], viaWp), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'deny', policy: 'istio-system/all-waypoints' });
    expect(run(world([deny('pay/not-root', [{}], ref)], viaWp), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'allow' });
  });

  it('pod-addressed traffic through a workload waypoint sees only Gateway-bound policies (listener_waypoint.go direct pod access chain)', () => {
    const svcPolicy = deny('pay/deny-api', [{}], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] });
    const c = world([svcPolicy], { podLabels: { 'istio.io/use-waypoint': 'wp' }, wp: { for: 'workload' } });
    const r = run(c, flow('shop/client', 'pod:pay/api:8080'));
    expect(r.hops.map((h) => h.to)).toEqual(['pay/wp', 'pay/api']);
    expect(r.verdict).toBe('allow');
  });

  it('Service traffic skips a workload-only waypoint ("Don\'t traverse waypoint if traffic was addressed to a service")', () => {
    const c = world([], { podLabels: { 'istio.io/use-waypoint': 'wp' }, wp: { for: 'workload' } });
    const r = run(c, flow('shop/client', 'pay/api:80'));
    expect(r.hops.map((h) => h.to)).toEqual(['pay/api']);
    expect(r.steps.map((s) => s.code)).toContain('waypoint-bypassed-service-addressed');
  });

  it('a cross-namespace waypoint is refused without allowedRoutes and used with from: All (TestMakeAllowedRoutes)', () => {
    const labels = { apiLabels: { 'istio.io/use-waypoint': 'wp', 'istio.io/use-waypoint-namespace': 'shared' }, wpRef: 'shared/wp' };
    const refused = run(world([], labels), flow('shop/client', 'pay/api:80'));
    expect(refused.hops.map((h) => h.to)).toEqual(['pay/api']);
    expect(refused.steps.map((s) => s.code)).toContain('waypoint-cross-namespace-refused');
    const used = run(world([], { ...labels, wp: { from: 'All' } }), flow('shop/client', 'pay/api:80'));
    expect(used.hops.map((h) => h.to)).toEqual(['shared/wp', 'pay/api']);
  });
});

describe('resolveMesh() reports missing references with file and line', () => {
  it('names a Service that selects nothing', () => {
    const mesh = resolveMesh(world([service('pay/ghost', '10.96.0.50', { selector: { app: 'nobody' } })]));
    expect(mesh.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'service-selects-nothing', object: 'Service pay/ghost', file: 'fixture.yaml' }));
  });

  it('names a use-waypoint label that points at no Gateway', () => {
    const mesh = resolveMesh(world([], { apiLabels: { 'istio.io/use-waypoint': 'nope' } }));
    const d = mesh.diagnostics.find((x) => x.code === 'use-waypoint-missing');
    expect(d).toMatchObject({ severity: 'warning', object: 'Service pay/api', file: 'fixture.yaml' });
    expect(d?.line).toBeGreaterThan(0);
  });
});
