import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { prepareMesh } from '../../src/index.js';
import type { Cluster } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';
import {
  allow, ambientNamespace, cluster, deny, flow, namespace, node, peerAuthentication, pod, service, waypoint,
} from '../support/builders.js';

const PAY_WP_ID = 'spiffe://cluster.local/ns/pay/sa/wp';
const CLIENT_ID = 'spiffe://cluster.local/ns/shop/sa/client';

/** shop/client (ambient) calls pay/api (ambient, behind waypoint pay/wp when labelled); legacy/old is out of mesh. */
function world(extra: Parameters<typeof cluster>[0] = [], options: { apiLabels?: Record<string, string>; env?: Record<string, string>; wpReady?: boolean } = {}): Cluster {
  return cluster([
    node('node-1', '172.20.0.1'), node('node-2', '172.20.0.2'),
    ambientNamespace('shop'), ambientNamespace('pay'), namespace('legacy'), namespace('istio-system'),
    pod('shop/client', '10.0.1.1', { node: 'node-1' }),
    pod('pay/api', '10.0.2.1', { node: 'node-2' }),
    pod('legacy/old', '10.0.3.1', { node: 'node-1' }),
    service('pay/api', '10.96.0.10', { labels: options.apiLabels ?? {} }),
    service('legacy/old', '10.96.0.30'),
    waypoint('pay/wp', { ready: options.wpReady ?? true }),
    ...extra,
  ], { istiodEnv: options.env ?? {} });
}
const viaWaypoint = { apiLabels: { 'istio.io/use-waypoint': 'wp' } };

function run(c: Cluster, f: Flow) {
  return evaluateFlow(f, prepareMesh(c)).result;
}

describe('evaluateFlow() routes like ztunnel build_request (istio/ztunnel:src/proxy/outbound.rs)', () => {
  it('sends Service traffic through the Service\'s waypoint over HBONE, and on to the pod with the waypoint identity', () => {
    const r = run(world([], viaWaypoint), flow('shop/client', 'pay/api:80'));
    expect(r.hops).toEqual([
      { from: 'shop/client', to: 'pay/wp', transport: 'hbone', peerIdentity: CLIENT_ID },
      { from: 'pay/wp', to: 'pay/api', transport: 'hbone', peerIdentity: PAY_WP_ID },
    ]);
    expect(r).toMatchObject({ verdict: 'allow', encrypted: true, reason: 'no-allow-policies', policy: null });
    expect(r.steps.map((s) => s.code)).toContain('routed-via-waypoint');
  });

  it('does not take a Service waypoint for traffic addressed to the pod IP ("Don\'t traverse waypoint if traffic was addressed to a service" / pitfall 7)', () => {
    const r = run(world([], viaWaypoint), flow('shop/client', 'pod:pay/api:8080'));
    expect(r.hops).toEqual([{ from: 'shop/client', to: 'pay/api', transport: 'hbone', peerIdentity: CLIENT_ID }]);
    expect(r.steps.map((s) => s.code)).toContain('waypoint-bypassed-pod-addressed');
  });

  it('bypasses a waypoint without status.addresses (TestAmbientIndex_WaypointConfiguredOnlyWhenReady)', () => {
    const r = run(world([], { ...viaWaypoint, wpReady: false }), flow('shop/client', 'pay/api:80'));
    expect(r.hops.map((h) => h.to)).toEqual(['pay/api']);
    expect(r.steps.map((s) => s.code)).toContain('waypoint-not-ready');
  });

  it('sends plain TCP to a destination outside the mesh, where no policy applies (baseline_test.go TestAuthorizationL4 "no RBAC to apply")', () => {
    const r = run(world([allow('legacy/nothing', undefined, { selector: { matchLabels: { app: 'old' } } })]), flow('shop/client', 'legacy/old:80'));
    expect(r).toMatchObject({ verdict: 'allow', encrypted: false, decidedBy: { component: 'none', name: null }, reason: 'routed-plaintext-to-unenrolled' });
  });

  it('passes unknown addresses through as plain TCP (outbound.rs passthrough)', () => {
    const r = run(world(), flow('shop/client', '93.184.216.34:443'));
    expect(r).toMatchObject({ verdict: 'allow', encrypted: false, reason: 'routed-passthrough-external' });
  });

  it('lets an out-of-mesh client reach an ambient pod in plaintext under PERMISSIVE (inbound_passthrough.rs proxy_inbound_plaintext)', () => {
    const r = run(world([], viaWaypoint), flow('legacy/old', 'pay/api:80'));
    expect(r).toMatchObject({ verdict: 'allow', encrypted: false, decidedBy: { component: 'destination-ztunnel', name: 'node-2' } });
    expect(r.hops).toEqual([{ from: 'legacy/old', to: 'pay/api', transport: 'plaintext', peerIdentity: null }]);
  });
});

describe('evaluateFlow() leaves uncaptured traffic alone (istio/istio:cni/pkg/iptables)', () => {
  const strict = [peerAuthentication('pay/default', 'STRICT')];
  it('UDP is never captured, even under STRICT (default.golden redirects TCP only)', () => {
    expect(run(world(strict), flow('legacy/old', 'pod:pay/api:8080', { protocol: 'udp' }))).toMatchObject({ verdict: 'allow', encrypted: false, reason: 'not-captured-udp' });
  });
  it('same-node host traffic (kubelet probes) skips ztunnel and STRICT (hostprobe.golden)', () => {
    expect(run(world(strict), flow('172.20.0.2', 'pod:pay/api:8080'))).toMatchObject({ verdict: 'allow', reason: 'not-captured-same-node-host' });
  });
  it('host traffic from another node is ordinary plaintext and meets STRICT', () => {
    expect(run(world(strict), flow('172.20.0.1', 'pod:pay/api:8080'))).toMatchObject({ verdict: 'deny', reason: 'strict-mtls-plaintext-denied', policy: 'istio-system/istio_converted_static_strict' });
  });
  it('a pod calling its own pod IP leaves through lo and is not captured (iptables.go AppendInpodRules `! -d 127.0.0.1/32 -o lo -j ACCEPT`)', () => {
    expect(run(world(strict), flow('pay/api', 'pod:pay/api:8080'))).toMatchObject({ verdict: 'allow', reason: 'not-captured-loopback' });
  });
});

describe('evaluateFlow() authorizes only on the destination side (semantics §2, §3)', () => {
  it('a targetRefs ALLOW decides at the waypoint with the client identity (TestAuthorizationL7)', () => {
    const p = allow('pay/api-callers', [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/client'] } }], to: [{ operation: { methods: ['GET'] } }] }], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] });
    const ok = run(world([p], viaWaypoint), flow('shop/client', 'pay/api:80', { http: { method: 'GET' } }));
    expect(ok).toMatchObject({ verdict: 'allow', decidedBy: { component: 'waypoint', name: 'pay/wp' }, policy: 'pay/api-callers', rule: 0, reason: 'allow-policy-matched' });
    const no = run(world([p], viaWaypoint), flow('shop/client', 'pay/api:80', { http: { method: 'DELETE' } }));
    expect(no).toMatchObject({ verdict: 'deny', decidedBy: { component: 'waypoint', name: 'pay/wp' }, policy: null, reason: 'no-allow-policy-matched' });
  });

  it('after a waypoint, a selector ALLOW on the client principal denies: ztunnel sees the waypoint identity (pitfall 1, l4-policy docs, TestAuthorizationL4)', () => {
    const p = allow('pay/clients', [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/client'] } }] }], { selector: { matchLabels: { app: 'api' } } });
    const direct = run(world([p]), flow('shop/client', 'pay/api:80'));
    expect(direct).toMatchObject({ verdict: 'allow', decidedBy: { component: 'destination-ztunnel' }, policy: 'pay/clients' });
    const viaWp = run(world([p], viaWaypoint), flow('shop/client', 'pay/api:80'));
    expect(viaWp).toMatchObject({ verdict: 'deny', decidedBy: { component: 'destination-ztunnel', name: 'node-2' }, reason: 'no-allow-policy-matched' });
    const fixed = run(world([p], { ...viaWaypoint, env: { PILOT_AUTO_ALLOW_WAYPOINT_POLICY: 'true' } }), flow('shop/client', 'pay/api:80'));
    expect(fixed).toMatchObject({ verdict: 'allow', policy: 'pay/istio_allow_waypoint_pay_wp', decidedBy: { component: 'destination-ztunnel' } });
  });

  it('the waypoint ignores selector and namespace-wide policies (policyattachment.go ShouldAttachPolicy "Waypoints never use selector")', () => {
    const ns = deny('pay/deny-all', [{}]);
    const r = run(world([ns], viaWaypoint), flow('shop/client', 'pay/api:80'));
    expect(r).toMatchObject({ verdict: 'deny', decidedBy: { component: 'destination-ztunnel' }, policy: 'pay/deny-all' });
  });

  it('a selector policy selecting the waypoint pod does nothing (pitfall 6)', () => {
    const p = deny('pay/deny-at-waypoint', [{}], { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'wp' } } });
    expect(run(world([p], viaWaypoint), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'allow' });
  });

  it('a root-namespace selector policy applies in every namespace (workloads.go buildWorkloadPolicies nsMatch)', () => {
    const p = deny('istio-system/no-api', [{}], { selector: { matchLabels: { app: 'api' } } });
    expect(run(world([p]), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'deny', policy: 'istio-system/no-api', rule: 0 });
  });

  it('ports in ztunnel policies are container ports, not Service ports (pitfall 4, inbound.rs "swap with the real port")', () => {
    const svcPort = allow('pay/p80', [{ to: [{ operation: { ports: ['80'] } }] }], { selector: { matchLabels: { app: 'api' } } });
    const podPort = allow('pay/p8080', [{ to: [{ operation: { ports: ['8080'] } }] }], { selector: { matchLabels: { app: 'api' } } });
    expect(run(world([svcPort]), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'deny' });
    expect(run(world([podPort]), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'allow', policy: 'pay/p8080' });
  });

  it('an ALLOW rule with HTTP attributes is dropped at ztunnel, leaving allow-nothing (pitfall 2, authorization.go handleRule)', () => {
    const p = allow('pay/get-only', [{ to: [{ operation: { methods: ['GET'] } }] }], { selector: { matchLabels: { app: 'api' } } });
    expect(run(world([p]), flow('shop/client', 'pay/api:80', { http: { method: 'GET' } }))).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
  });

  it('a DENY rule with only HTTP attributes is a no-op at ztunnel (pitfall 3, fix for istio#61126)', () => {
    const p = deny('pay/no-delete', [{ to: [{ operation: { methods: ['DELETE'] } }] }], { selector: { matchLabels: { app: 'api' } } });
    expect(run(world([p]), flow('shop/client', 'pay/api:80', { http: { method: 'DELETE' } }))).toMatchObject({ verdict: 'allow' });
  });

  it('namespace rules never match plaintext peers and notNamespaces always does (pitfall 5, rbac.rs namespaces/not_namespaces)', () => {
    const only = allow('pay/only-shop', [{ from: [{ source: { namespaces: ['shop'] } }] }], { selector: { matchLabels: { app: 'api' } } });
    const notShop = deny('pay/not-shop', [{ from: [{ source: { notNamespaces: ['shop'] } }] }], { selector: { matchLabels: { app: 'api' } } });
    expect(run(world([only]), flow('legacy/old', 'pay/api:80'))).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
    expect(run(world([notShop]), flow('legacy/old', 'pay/api:80'))).toMatchObject({ verdict: 'deny', policy: 'pay/not-shop' });
    expect(run(world([notShop]), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'allow' });
  });

  it('STRICT denies plaintext with istiod\'s static policy, beating any ALLOW (authorization.go convertedSelectorPeerAuthentications)', () => {
    const ipAllow = allow('pay/legacy-ip', [{ from: [{ source: { ipBlocks: ['10.0.3.0/24'] } }] }]);
    const r = run(world([ipAllow, peerAuthentication('pay/default', 'STRICT')]), flow('legacy/old', 'pay/api:80'));
    expect(r).toMatchObject({ verdict: 'deny', reason: 'strict-mtls-plaintext-denied', policy: 'istio-system/istio_converted_static_strict', decidedBy: { component: 'destination-ztunnel' } });
    expect(run(world([ipAllow, peerAuthentication('pay/default', 'STRICT')]), flow('shop/client', 'pay/api:80'))).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
  });

  it('refuses Service traffic when the Service has no endpoints', () => {
    const c = world([service('pay/empty', '10.96.0.99', { selector: { app: 'nothing' } })]);
    expect(run(c, flow('shop/client', 'pay/empty:80'))).toMatchObject({ verdict: 'deny', reason: 'service-has-no-endpoints', decidedBy: { component: 'none' } });
  });
});

describe('what each enforcement point sees', () => {
  it('the destination ztunnel sees no HTTP: an L4 proxy whose Connection has no L7 fields (istio/ztunnel:src/rbac.rs), while the waypoint sees the request', () => {
    const f = flow('shop/client', 'pay/api:80', { http: { method: 'POST', path: '/pay' } });
    const direct = evaluateFlow(f, prepareMesh(world()));
    expect(direct.decisions.map((d) => [d.checkpoint.component, d.checkpoint.attributes.http])).toEqual([['destination-ztunnel', undefined]]);
    const viaWp = evaluateFlow(f, prepareMesh(world([], viaWaypoint)));
    expect(viaWp.decisions.map((d) => [d.checkpoint.component, d.checkpoint.attributes.http?.path])).toEqual([['waypoint', '/pay'], ['destination-ztunnel', undefined]]);
  });
});
