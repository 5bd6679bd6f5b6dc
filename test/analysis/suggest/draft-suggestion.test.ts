import { describe, expect, it } from 'vitest';
import { draftSuggestion } from '../../../src/analysis/suggest/suggest-policies.js';
import { prepareMesh } from '../../../src/index.js';
import type { Cluster } from '../../../src/model/cluster.js';
import type { Flow } from '../../../src/model/flow.js';
import type { SuggestAt, SuggestedPolicy } from '../../../src/model/suggestion.js';
import { ambientNamespace, cluster, flow, namespace, peerAuthentication, pod, service, waypoint } from '../../support/builders.js';

const shop = (): Cluster => cluster([
  ambientNamespace('shop'), ambientNamespace('pay', { 'istio.io/use-waypoint': 'waypoint' }), namespace('legacy'),
  pod('shop/web', '10.0.0.1'), pod('shop/cart', '10.0.0.2'), pod('shop/search', '10.0.0.3'),
  pod('pay/api', '10.0.1.1'), pod('pay/ledger', '10.0.1.2'), pod('legacy/batch', '10.0.2.1'),
  service('shop/cart', '10.96.0.2'), service('shop/search', '10.96.0.3'),
  service('pay/api', '10.96.1.1'), service('pay/ledger', '10.96.1.2'), waypoint('pay/waypoint'),
]);

function draft(flows: readonly Flow[], at: SuggestAt = 'auto', c: Cluster = shop()) {
  return draftSuggestion(prepareMesh(c), flows, { at });
}

const named = (policies: readonly SuggestedPolicy[], name: string): SuggestedPolicy => {
  const p = policies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy ${name} in ${policies.map((x) => x.name).join(', ')}`);
  return p;
};

describe('draftSuggestion(): HTTP rules only at waypoints', () => {
  // istiod drops an ALLOW rule with any HTTP attribute for ztunnel (istio/istio
  // pilot/pkg/serviceregistry/ambient/authorization.go convertAuthorizationPolicy): a selector policy
  // with methods or paths would deny the very traffic it names.
  it('writes no HTTP attribute in a selector (ztunnel) policy, and asks for a waypoint for HTTP traffic without one', () => {
    const { suggestion } = draft([flow('shop/web', 'shop/cart:80', { http: { method: 'POST', path: '/cart/items' } })]);
    const cart = named(suggestion.policies, 'cart-ztunnel');
    expect(cart).toMatchObject({ enforcedBy: 'ztunnel', selector: { app: 'cart' } });
    expect(cart.rules).toEqual([{ from: [{ principals: ['cluster.local/ns/shop/sa/web'] }], to: [{ ports: ['8080'] }] }]);
    expect(suggestion.notes).toContainEqual({ kind: 'add-waypoint', namespace: 'shop', destinations: ['shop/cart'], http: true });
  });

  it('puts methods, paths and hosts in a targetRefs policy at the waypoint the traffic takes', () => {
    const flows = ['a1', 'b2', 'c3'].map((id) => flow('shop/web', 'pay/api:80', { id, http: { method: 'POST', path: `/payments/${id}/capture`, host: 'api.pay' } }));
    const { suggestion } = draft(flows);
    const api = named(suggestion.policies, 'api-waypoint');
    expect(api).toMatchObject({ enforcedBy: 'waypoint', targetRef: { kind: 'Service', group: '', name: 'api' }, namespace: 'pay' });
    expect(api.rules).toEqual([{
      from: [{ principals: ['cluster.local/ns/shop/sa/web'] }],
      to: [{ ports: ['80'], methods: ['POST'], paths: ['/payments/{*}/capture'], hosts: ['api.pay'] }],
    }]);
    expect(api.evidence).toEqual({ flows: 3, sources: ['shop/web'], firstSeen: 0, lastSeen: 0 });
  });

  it('with --at ztunnel writes no waypoint policy and says the clients are not checked', () => {
    const { suggestion } = draft([flow('shop/web', 'pay/api:80', { http: { path: '/x' } })], 'ztunnel');
    expect(suggestion.policies.map((p) => p.enforcedBy)).toEqual(['ztunnel']);
    expect(suggestion.notes).toContainEqual({ kind: 'waypoint-identity-only', waypoint: 'pay/waypoint', destinations: ['pay/api'] });
  });

  it('with --at waypoint asks for a waypoint for plain TCP destinations too', () => {
    const { suggestion } = draft([flow('shop/web', 'shop/cart:80')], 'waypoint');
    expect(suggestion.notes).toContainEqual({ kind: 'add-waypoint', namespace: 'shop', destinations: ['shop/cart'], http: false });
  });
});

describe('draftSuggestion(): the waypoint identity at the destination ztunnel', () => {
  // The waypoint opens its own HBONE connection: the destination ztunnel sees the waypoint's identity
  // (istio.io docs ambient/usage/l4-policy: "waypoint proxies do not impersonate src identity").
  it('admits the waypoint principal, not the client, at the ztunnel of a workload behind a waypoint', () => {
    const { suggestion } = draft([flow('shop/web', 'pay/api:80', { http: { path: '/x' } })]);
    const rules = named(suggestion.policies, 'api-ztunnel').rules;
    expect(rules.map((r) => r.from)).toEqual([[{ principals: ['cluster.local/ns/pay/sa/waypoint'] }]]);
    expect(rules[0]?.why).toMatch(/waypoint's identity/);
  });
});

describe('draftSuggestion(): plaintext clients have no principal', () => {
  // ztunnel authorizes plaintext inbound with src_identity None (istio/ztunnel
  // src/proxy/inbound_passthrough.rs), and principal or namespace matches need an identity (src/rbac.rs).
  it('admits a plaintext client by its IP, says so, and does not suppress the plaintext lint', () => {
    const { suggestion } = draft([flow('legacy/batch', 'shop/cart:80'), flow('203.0.113.9', 'shop/cart:80')]);
    const cart = named(suggestion.policies, 'cart-ztunnel');
    expect(cart.rules).toEqual([expect.objectContaining({ from: [{ ipBlocks: ['10.0.2.1/32', '203.0.113.9/32'] }], to: [{ ports: ['8080'] }] })]);
    expect(cart.suppress).toBeUndefined();
    expect(suggestion.notes).toContainEqual(expect.objectContaining({ kind: 'plaintext-clients', destination: 'shop/cart', flows: 2 }));
  });

  it('answers the plaintext lint only where no plaintext client was seen', () => {
    const { suggestion } = draft([flow('shop/web', 'shop/cart:80')]);
    expect(named(suggestion.policies, 'cart-ztunnel').suppress?.codes).toEqual(['identity-rules-exclude-plaintext']);
  });
});

describe('draftSuggestion(): sources and near misses', () => {
  it('names a namespace when every workload of it called, and principals otherwise', () => {
    const from = (sources: readonly string[]) => sources.map((src) => flow(src, 'pod:pay/ledger:8080', { id: src }));
    const whole = named(draft(from(['shop/web', 'shop/cart', 'shop/search'])).suggestion.policies, 'ledger-ztunnel');
    expect(whole.rules).toEqual([{ from: [{ namespaces: ['shop'] }], to: [{ ports: ['8080'] }] }]);
    const part = named(draft(from(['shop/web', 'shop/cart'])).suggestion.policies, 'ledger-ztunnel');
    expect(part.rules).toEqual([{ from: [{ principals: ['cluster.local/ns/shop/sa/cart', 'cluster.local/ns/shop/sa/web'] }], to: [{ ports: ['8080'] }] }]);
  });

  // PILOT_AUTO_ALLOW_WAYPOINT_POLICY makes istiod add an ALLOW for the waypoint's identity
  // (pilot/pkg/serviceregistry/ambient/policies.go implicitWaypointPolicy); the suggestion says so.
  it('says istiod already admits the waypoint when PILOT_AUTO_ALLOW_WAYPOINT_POLICY is on, and still names it', () => {
    const c = { ...shop(), istiodEnv: { PILOT_AUTO_ALLOW_WAYPOINT_POLICY: 'true' } };
    const { suggestion } = draft([flow('shop/web', 'pay/api:80')], 'auto', c);
    expect(suggestion.notes).toContainEqual({ kind: 'auto-allow-waypoint', waypoint: 'pay/waypoint' });
    expect(named(suggestion.policies, 'api-ztunnel').rules[0]?.from).toEqual([{ principals: ['cluster.local/ns/pay/sa/waypoint'] }]);
  });

  it('keeps L4 and HTTP operations at the waypoint in rules of their own (a rule with an HTTP field does not match plain TCP)', () => {
    const { suggestion } = draft([flow('shop/web', 'pay/api:80', { id: 't' }), flow('shop/web', 'pay/api:80', { id: 'h', http: { path: '/a' } })]);
    expect(named(suggestion.policies, 'api-waypoint').rules.map((r) => r.to)).toEqual([
      [{ ports: ['80'] }],
      [{ ports: ['80'], methods: ['GET'], paths: ['/a'] }],
    ]);
  });

  it('names policies apart within a namespace (a Service and a waypoint Gateway of the same name)', () => {
    const c = cluster([
      ambientNamespace('shop'), ambientNamespace('pay', { 'istio.io/use-waypoint': 'api' }),
      pod('shop/web', '10.0.0.1'), pod('pay/api', '10.0.1.1', { labels: { 'istio.io/use-waypoint': 'api' } }), service('pay/api', '10.96.1.1'), waypoint('pay/api', { for: 'all' }),
    ]);
    const { suggestion } = draft([flow('shop/web', 'pay/api:80', { id: 's' }), flow('shop/web', '10.0.1.1:8080', { id: 'p' })], 'auto', c);
    const names = suggestion.policies.map((p) => `${p.namespace}/${p.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['pay/api-waypoint', 'pay/api-waypoint-2']));
  });

  it('leaves flows denied whatever the policy out, with their reason', () => {
    const strict = { ...shop(), peerAuthentications: [peerAuthentication('shop/default', 'STRICT')] };
    const { suggestion, admitted } = draft([flow('legacy/batch', 'shop/cart:80', { id: 'plain' })], 'auto', strict);
    expect(admitted.size).toBe(0);
    expect(suggestion.notes).toContainEqual({ kind: 'denied-regardless', flows: ['plain'], reason: 'strict-mtls-plaintext-denied' });
  });
});
