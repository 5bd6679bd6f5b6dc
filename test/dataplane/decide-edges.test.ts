import { describe, expect, it } from 'vitest';
import { VerdictPath } from '../../src/dataplane/decide.js';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { authorizationPolicyObject, clusterOf, namespaceObject, nodeObject, podObject, serviceObject, waypointObject } from '../../src/generate/small-objects.js';
import { prepareMesh } from '../../src/index.js';
import { decisionFields } from '../support/decision-fields.js';
import { DEFAULT_MESH_CONFIG, type Cluster } from '../../src/model/cluster.js';
import type { Decision } from '../../src/model/decision.js';
import type { Flow } from '../../src/model/flow.js';
import type { AuthorizationPolicySpec } from '../../src/model/policy.js';

/** decide() and the evidence evaluator on the same flows, each flow twice (the second answered by the memos). */
function both(cluster: Cluster, flows: readonly Flow[]): { decided: unknown[]; explained: unknown[] } {
  const index = prepareMesh(cluster);
  const path = new VerdictPath(index);
  const twice = [...flows, ...flows];
  return { decided: twice.map((f) => decisionFields(path.decide(f))), explained: twice.map((f) => decisionFields(evaluateFlow(f, index).result)) };
}

const tcp = (source: Flow['source'], destination: Flow['destination']): Flow => ({ id: 'f', source, destination, protocol: 'tcp', time: 0 });

describe('decide() on the edges the evidence evaluator defines', () => {
  it('takes loopback by uid: a pod named like a synthesized waypoint pod calling the pod with that uid (plan-route.ts earlyOutcome)', () => {
    const cluster = clusterOf([
      nodeObject('node-1', '172.20.0.1'), namespaceObject('a', { 'istio.io/dataplane-mode': 'ambient' }),
      waypointObject('a/wp', '10.96.99.1'), podObject('a/wp-waypoint', '10.0.0.5', 'node-1'),
    ]);
    const { decided, explained } = both(cluster, [tcp({ workload: 'a/wp-waypoint' }, { ip: '10.0.0.5', port: 8080 })]);
    expect(decided).toEqual(explained);
    expect(explained[0]).toMatchObject({ reason: 'not-captured-loopback' });
  });

  it('treats a node with an empty name as no node, as resolveSource does (endpoints.ts)', () => {
    const cluster = clusterOf([
      nodeObject('', '172.20.0.9'), namespaceObject('a', { 'istio.io/dataplane-mode': 'ambient' }), podObject('a/y', '10.0.0.2', ''),
      authorizationPolicyObject('a/only-nobody', { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['nobody'] } }] }] } as AuthorizationPolicySpec),
    ]);
    const { decided, explained } = both(cluster, [tcp({ ip: '172.20.0.9' }, { ip: '10.0.0.2', port: 8080 })]);
    expect(decided).toEqual(explained);
  });

  it('tells a request without a host from one whose host is any string, NUL included, at a memoised waypoint (waypoint-rbac.ts hosts)', () => {
    const cluster = clusterOf([
      nodeObject('node-1', '172.20.0.1'), namespaceObject('a', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' }),
      waypointObject('a/wp', '10.96.99.1'), podObject('a/x', '10.0.0.1', 'node-1'), podObject('a/y', '10.0.0.2', 'node-1'),
      serviceObject('a/x', '10.96.0.1'), serviceObject('a/y', '10.96.0.2'),
      authorizationPolicyObject('a/hosts', { action: 'ALLOW', targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }], rules: [{ to: [{ operation: { hosts: ['*'] } }] }] } as AuthorizationPolicySpec),
    ]);
    const request = (id: string, host?: string, headers: Record<string, string> = {}): Flow => ({
      id, source: { workload: 'a/x' }, destination: { service: 'a/y', port: 80 }, protocol: 'http', time: 0,
      http: { method: 'GET', path: '/', headers, ...(host !== undefined ? { host } : {}) },
    });
    const flows = [request('none'), request('nul', '\u0000'), request('empty', ''), request('named', 'y.a'), request('header', undefined, { host: 'y.a' })];
    const { decided, explained } = both(cluster, flows);
    expect(decided).toEqual(explained);
    expect(explained.slice(0, 2).map((d) => (d as Decision).verdict)).toEqual(['deny', 'allow']);
  });

  it('hands out one shared Decision per outcome even where a waypoint chain is not memoised (a `when` rule), so traffic cannot grow its tables', () => {
    const cluster = clusterOf([
      nodeObject('node-1', '172.20.0.1'), namespaceObject('a', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' }),
      waypointObject('a/wp', '10.96.99.1'), podObject('a/x', '10.0.0.1', 'node-1'), podObject('a/y', '10.0.0.2', 'node-1'),
      serviceObject('a/x', '10.96.0.1'), serviceObject('a/y', '10.96.0.2'),
      authorizationPolicyObject('a/header', {
        action: 'ALLOW', targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }],
        rules: [{ when: [{ key: 'request.headers[x-env]', values: ['prod'] }] }],
      } as AuthorizationPolicySpec),
    ]);
    const path = new VerdictPath(prepareMesh(cluster));
    const request = (i: number): Flow => ({
      id: `r${i}`, source: { workload: 'a/x' }, destination: { service: 'a/y', port: 80 }, protocol: 'http', time: 0,
      http: { method: 'GET', path: `/items/${i}`, headers: { 'x-env': 'prod' } },
    });
    const first = path.decide(request(0));
    expect(first).toMatchObject({ verdict: 'allow', policy: 'a/header' });
    for (let i = 1; i < 1000; i++) expect(path.decide(request(i))).toBe(first);
  });
  it('applies CUSTOM at a waypoint as istiod builds it: a usable provider is undecidable, an undefined one denies what its rules match (builder.go buildHTTP, getBadCustomDenyRules)', () => {
    const toWaypoint = { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] };
    const objects = [
      nodeObject('node-1', '172.20.0.1'), namespaceObject('a', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' }),
      waypointObject('a/wp', '10.96.99.1'), podObject('a/x', '10.0.0.1', 'node-1'), podObject('a/y', '10.0.0.2', 'node-1'),
      serviceObject('a/x', '10.96.0.1'), serviceObject('a/y', '10.96.0.2'),
      authorizationPolicyObject('a/ext', { action: 'CUSTOM', provider: { name: 'opa' }, ...toWaypoint, rules: [{ to: [{ operation: { paths: ['/admin'] } }] }] } as AuthorizationPolicySpec),
    ];
    const request = (id: string, path: string): Flow => ({
      id, source: { workload: 'a/x' }, destination: { service: 'a/y', port: 80 }, protocol: 'http', time: 0, http: { method: 'GET', path, headers: {} },
    });
    const flows = [request('admin', '/admin'), request('public', '/public')];
    const undefinedProvider = both(clusterOf(objects), flows);
    expect(undefinedProvider.decided).toEqual(undefinedProvider.explained);
    expect(undefinedProvider.explained.slice(0, 2)).toMatchObject([
      { verdict: 'deny', reason: 'custom-provider-invalid', policy: 'a/ext', decidedBy: { component: 'waypoint' } }, { verdict: 'allow' },
    ]);
    const withOpa = { ...clusterOf(objects), meshConfig: { ...DEFAULT_MESH_CONFIG, extensionProviders: ['opa'], extAuthzProviders: { opa: 'grpc' as const } } };
    const usable = both(withOpa, flows);
    expect(usable.decided).toEqual(usable.explained);
    expect(usable.explained.slice(0, 2)).toMatchObject([{ verdict: 'allow' }, { verdict: 'allow' }]);
    // The waypoint's step says the provider decides; the flow's decidedBy stays the last point that
    // evaluated (DESIGN.md decidedBy), the destination ztunnel.
    const steps = (f: Flow) => evaluateFlow(f, prepareMesh(withOpa)).result.steps.map((st) => `${st.at.split(' ')[0]} ${st.code}`);
    expect(steps(flows[0] as Flow)).toContain('waypoint custom-provider-undecidable');
    expect(steps(flows[1] as Flow)).not.toContain('waypoint custom-provider-undecidable');
  });
});
