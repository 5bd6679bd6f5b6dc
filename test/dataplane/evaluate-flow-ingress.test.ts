import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { prepareMesh } from '../../src/index.js';
import type { Cluster, Gateway } from '../../src/model/cluster.js';
import { ambientNamespace, cluster, deny, flow, namespace, node, pod, service, waypoint } from '../support/builders.js';

/**
 * Ingress gateways as sources (docs/ambient-semantics.md §1 and §4): an Envoy that skips waypoints
 * unless the Service, else its namespace, is labelled istio.io/ingress-use-waypoint=true
 * (pilot/pkg/serviceregistry/ambient/services.go `ingressUseWaypointFromLabels`;
 * tests/integration/ambient/waypoint_test.go `TestIngressToWaypoint`).
 */
function ingressGateway(): Gateway {
  const w = waypoint('istio-ingress/public');
  return { ...w, gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutesFrom: 'All' }] };
}

function world(serviceLabels: Record<string, string>, namespaceLabels: Record<string, string> = {}): Cluster {
  return cluster([
    node('node-1', '172.20.0.1'),
    namespace('istio-ingress'), ambientNamespace('shop', { 'istio.io/use-waypoint': 'waypoint', ...namespaceLabels }),
    ingressGateway(), waypoint('shop/waypoint'),
    pod('istio-ingress/public-istio-7d9f', '10.0.9.1', { labels: { 'gateway.networking.k8s.io/gateway-name': 'public' }, sa: 'public-istio' }),
    pod('shop/web', '10.0.1.1'), pod('shop/waypoint-5c8', '10.0.1.9', { labels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' }, sa: 'waypoint' }),
    service('shop/web', '10.96.1.1', { labels: serviceLabels }),
    deny('shop/no-admin', [{ to: [{ operation: { paths: ['/admin'] } }] }], { targetRefs: [{ kind: 'Service', group: '', name: 'web' }] }),
  ]);
}

const admin = flow('istio-ingress/public-istio-7d9f', 'shop/web:80', { http: { method: 'GET', path: '/admin' } });

describe('an ingress gateway as a source', () => {
  it('skips the Service\'s waypoint by default: its targetRefs DENY never sees the request, and the destination ztunnel decides on the gateway\'s identity', () => {
    const r = evaluateFlow(admin, prepareMesh(world({}))).result;
    expect(r).toMatchObject({ verdict: 'allow', encrypted: true, decidedBy: { component: 'destination-ztunnel' } });
    expect(r.hops).toEqual([{ from: 'istio-ingress/public-istio-7d9f', to: 'shop/web', transport: 'hbone', peerIdentity: 'spiffe://cluster.local/ns/istio-ingress/sa/public-istio' }]);
    expect(r.steps.map((s) => s.code)).toContain('ingress-skips-waypoint');
  });

  it.each([
    ['the Service', { 'istio.io/ingress-use-waypoint': 'true' }, {}],
    ['the namespace', {}, { 'istio.io/ingress-use-waypoint': 'true' }],
  ])('goes through the waypoint when %s is labelled istio.io/ingress-use-waypoint=true, where the DENY applies', (_where, svcLabels, nsLabels) => {
    const r = evaluateFlow(admin, prepareMesh(world(svcLabels, nsLabels))).result;
    expect(r).toMatchObject({ verdict: 'deny', decidedBy: { component: 'waypoint', name: 'shop/waypoint' }, policy: 'shop/no-admin', reason: 'deny-policy-matched' });
    expect(r.hops[0]).toEqual({ from: 'istio-ingress/public-istio-7d9f', to: 'shop/waypoint', transport: 'hbone', peerIdentity: 'spiffe://cluster.local/ns/istio-ingress/sa/public-istio' });
    expect(r.steps.map((s) => s.code)).toContain('routed-ingress-via-waypoint');
  });

  it('a pod of the classic istio-ingressgateway deployment is a gateway too', () => {
    const c = world({});
    const classic = cluster([...c.namespaces, ...c.nodes, ...c.pods, ...c.services, ...c.gateways, ...c.authorizationPolicies, namespace('istio-system'),
      pod('istio-system/istio-ingressgateway-6b8', '10.0.9.2', { labels: { istio: 'ingressgateway', app: 'istio-ingressgateway' }, sa: 'istio-ingressgateway-service-account' })]);
    const r = evaluateFlow(flow('istio-system/istio-ingressgateway-6b8', 'shop/web:80', { http: { method: 'GET', path: '/admin' } }), prepareMesh(classic)).result;
    expect(r.steps.map((s) => s.code)).toContain('ingress-skips-waypoint');
    expect(r.encrypted).toBe(true);
  });
});
