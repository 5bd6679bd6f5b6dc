import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { prepareMesh } from '../../src/index.js';
import { DEFAULT_MESH_CONFIG, type Cluster } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';
import {
  allow, ambientNamespace, cluster, deny, flow, namespace, node, peerAuthentication, pod, policy, requestAuthentication,
  service, sidecarNamespace, waypoint,
} from '../support/builders.js';

/**
 * One ztunnel/Envoy divergence of docs/ambient-semantics.md per block, each as a pair: the same policy
 * on an ambient destination (`amb/api`, decided by its ztunnel) and on a sidecar destination (`side/api`,
 * decided by its sidecar). Both pods have the same labels (`role: api`), ports and callers.
 */
type Extra = Parameters<typeof cluster>[0];
function world(extra: Extra = [], meshConfig = DEFAULT_MESH_CONFIG): Cluster {
  return cluster([
    node('node-1', '172.20.0.1'), node('node-2', '172.20.0.2'),
    ambientNamespace('amb'), sidecarNamespace('side'), ambientNamespace('shop'), sidecarNamespace('mall'), namespace('legacy'), namespace('istio-system'),
    pod('amb/api', '10.0.1.1', { node: 'node-2', labels: { role: 'api' }, ports: [8080, 5432] }),
    pod('side/api', '10.0.2.1', { node: 'node-2', labels: { role: 'api' }, ports: [8080, 5432] }),
    pod('shop/client', '10.0.3.1'), pod('mall/client', '10.0.4.1'), pod('legacy/old', '10.0.5.1'),
    withTcpPort(service('amb/api', '10.96.0.1')), withTcpPort(service('side/api', '10.96.0.2')),
    ...extra,
  ], { meshConfig });
}
/** Adds a TCP port `tcp-db` 5432 next to the `http` port 80 → 8080. */
function withTcpPort(s: ReturnType<typeof service>): ReturnType<typeof service> {
  return { ...s, ports: [...s.ports, { name: 'tcp-db', port: 5432, targetPort: 5432, protocol: 'TCP' }] };
}
const selectApi = { selector: { matchLabels: { role: 'api' } } };
function run(c: Cluster, f: Flow) {
  return evaluateFlow(f, prepareMesh(c)).result;
}
const get = { http: { method: 'GET', path: '/orders' } };
const post = { http: { method: 'POST', path: '/orders' } };

describe('sidecar enrollment and routing', () => {
  it('a pod in an istio-injection=enabled namespace runs a sidecar and its sidecar decides (pkg/kube/inject/webhook.go injectRequired)', () => {
    const r = run(world(), flow('mall/client', 'side/api:80'));
    expect(r).toMatchObject({ verdict: 'allow', encrypted: true, decidedBy: { component: 'sidecar', name: 'side/api' }, reason: 'no-allow-policies' });
    expect(r.hops).toEqual([{ from: 'mall/client', to: 'side/api', transport: 'mtls', peerIdentity: 'spiffe://cluster.local/ns/mall/sa/client' }]);
  });

  it('a sidecar client reaches an ambient pod over HBONE with its own identity, decided by the destination ztunnel (semantics §1)', () => {
    const r = run(world(), flow('mall/client', 'amb/api:80'));
    expect(r).toMatchObject({ verdict: 'allow', encrypted: true, decidedBy: { component: 'destination-ztunnel' } });
    expect(r.hops).toEqual([{ from: 'mall/client', to: 'amb/api', transport: 'hbone', peerIdentity: 'spiffe://cluster.local/ns/mall/sa/client' }]);
    expect(r.steps.map((s) => s.code)).toContain('routed-sidecar-hbone-to-ambient');
  });

  it('an ambient client reaches a sidecar pod in plain TCP: istiod gives it no tunnel protocol (pilot/pkg/serviceregistry/ambient/workloads.go SupportsTunnel)', () => {
    const r = run(world(), flow('shop/client', 'side/api:80'));
    expect(r).toMatchObject({ verdict: 'allow', encrypted: false, decidedBy: { component: 'sidecar', name: 'side/api' } });
    expect(r.steps.map((s) => s.code)).toContain('routed-plaintext-to-sidecar');
  });

  it('an ambient client sends HBONE to a sidecar pod labelled networking.istio.io/tunnel=http (workloads.go NativeTunnel)', () => {
    const c = world([pod('side/tunnel', '10.0.2.9', { labels: { 'networking.istio.io/tunnel': 'http' } })]);
    const r = run(c, flow('shop/client', 'pod:side/tunnel:8080'));
    expect(r).toMatchObject({ encrypted: true, decidedBy: { component: 'sidecar' } });
    expect(r.hops[0]).toMatchObject({ transport: 'hbone', peerIdentity: 'spiffe://cluster.local/ns/shop/sa/client' });
  });

  it('a sidecar client sends plain TCP to a pod outside the mesh, where nothing enforces policy', () => {
    expect(run(world(), flow('mall/client', 'pod:legacy/old:8080'))).toMatchObject({ verdict: 'allow', encrypted: false, decidedBy: { component: 'none' }, reason: 'routed-plaintext-to-unenrolled' });
  });
});

describe('ztunnel versus Envoy: HTTP attributes (istio/istio pilot/pkg/security/authz/model/model.go; pilot/pkg/serviceregistry/ambient/authorization.go handleRule)', () => {
  const allowGet = allow('istio-system/allow-get', [{ to: [{ operation: { methods: ['GET'] } }] }], selectApi);
  it('ztunnel: an ALLOW rule with HTTP attributes is dropped, so a GET is denied (pitfall 2)', () => {
    expect(run(world([allowGet]), flow('shop/client', 'amb/api:80', get))).toMatchObject({ verdict: 'deny', decidedBy: { component: 'destination-ztunnel' }, reason: 'no-allow-policy-matched' });
  });
  it('sidecar: the same ALLOW matches the GET on an HTTP port (builder.go, HTTP chain)', () => {
    expect(run(world([allowGet]), flow('mall/client', 'side/api:80', get))).toMatchObject({ verdict: 'allow', decidedBy: { component: 'sidecar', name: 'side/api' }, policy: 'istio-system/allow-get', rule: 0 });
  });
  it('sidecar: on a TCP port (tcp-db) the ALLOW rule with HTTP attributes never matches (model.go, forTCP)', () => {
    const r = run(world([allowGet]), flow('mall/client', 'side/api:5432', get));
    expect(r).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched', decidedBy: { component: 'sidecar' } });
    expect(r.steps.map((s) => s.code)).toContain('sidecar-tcp-port');
  });
  it('sidecar: a port with no declared protocol sniffs HTTP, so the GET is matched (listener_inbound.go protocol detection)', () => {
    const c = world([allowGet, { ...service('side/plain', '10.96.0.7', { selector: { app: 'api' } }), ports: [{ name: 'web', port: 81, targetPort: 8080, protocol: 'TCP' }] }]);
    expect(run(c, flow('mall/client', 'side/plain:81', get))).toMatchObject({ verdict: 'allow', policy: 'istio-system/allow-get' });
  });

  const denyPost = deny('istio-system/deny-post', [{ to: [{ operation: { methods: ['POST'] } }] }], selectApi);
  it('ztunnel: a DENY whose rules use only HTTP attributes is a no-op on TCP (pitfall 3, issue 61126)', () => {
    expect(run(world([denyPost]), flow('shop/client', 'amb/api:5432'))).toMatchObject({ verdict: 'allow' });
  });
  it('sidecar: the same DENY denies every TCP connection: HTTP conditions are dropped, the rest matches (model.go rule.checkError)', () => {
    expect(run(world([denyPost]), flow('mall/client', 'side/api:5432'))).toMatchObject({ verdict: 'deny', reason: 'deny-policy-matched', policy: 'istio-system/deny-post', decidedBy: { component: 'sidecar' } });
  });

  const denyPostOnPort = deny('istio-system/deny-post-8080', [{ to: [{ operation: { methods: ['POST'], ports: ['8080'] } }] }], selectApi);
  it('ztunnel: a DENY with an HTTP and an L4 field fires on the port alone, over-denying a GET (authorization.go "more restrictive")', () => {
    expect(run(world([denyPostOnPort]), flow('shop/client', 'amb/api:80', get))).toMatchObject({ verdict: 'deny', policy: 'istio-system/deny-post-8080' });
  });
  it('sidecar: the same DENY sees the method on the HTTP port and lets the GET through', () => {
    expect(run(world([denyPostOnPort]), flow('mall/client', 'side/api:80', get))).toMatchObject({ verdict: 'allow' });
    expect(run(world([denyPostOnPort]), flow('mall/client', 'side/api:80', post))).toMatchObject({ verdict: 'deny', policy: 'istio-system/deny-post-8080' });
  });
});

describe('ztunnel versus Envoy: trust domain (istio/istio pilot/pkg/security/trustdomain/bundle.go ReplaceTrustDomainAliases)', () => {
  const mesh = { ...DEFAULT_MESH_CONFIG, trustDomain: 'corp.example', trustDomainAliases: ['old.example'] };
  const fromClusterLocal = (client: string) => allow('istio-system/allow-client', [{ from: [{ source: { principals: [`cluster.local/ns/${client}/sa/client`] } }] }], selectApi);
  it('ztunnel: a cluster.local principal does not match a peer of trust domain corp.example (pitfall 10)', () => {
    expect(run(world([fromClusterLocal('shop')], mesh), flow('shop/client', 'amb/api:80'))).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
  });
  it('sidecar: Envoy rewrites cluster.local to the trust domain and its aliases, so the same principal matches', () => {
    expect(run(world([fromClusterLocal('mall')], mesh), flow('mall/client', 'side/api:80'))).toMatchObject({ verdict: 'allow', policy: 'istio-system/allow-client' });
  });
});

describe('ztunnel versus Envoy: CUSTOM, AUDIT and dry-run (pilot/pkg/serviceregistry/ambient/authorization.go convertAuthorizationPolicy; pilot/pkg/security/authz/builder/builder.go)', () => {
  const custom = policy('istio-system/ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { ports: ['8080'] } }] }], ...selectApi });
  it('ztunnel: a CUSTOM policy is not sent to ztunnel and has no effect (pitfall 8)', () => {
    const r = run(world([custom]), flow('shop/client', 'amb/api:80'));
    expect(r).toMatchObject({ verdict: 'allow', reason: 'no-allow-policies' });
  });
  const withOpa = { ...DEFAULT_MESH_CONFIG, extensionProviders: ['opa'], extAuthzProviders: { opa: 'grpc' as const } };
  it('sidecar: a matching CUSTOM policy hands the request to its provider, whose answer is unknown: undecidable', () => {
    expect(run(world([custom], withOpa), flow('mall/client', 'side/api:80'))).toMatchObject({ verdict: 'allow', reason: 'custom-provider-undecidable', policy: 'istio-system/ext', decidedBy: { component: 'sidecar' } });
  });
  it('sidecar: a CUSTOM policy whose provider the mesh config does not define denies what its rules match (builder.go getBadCustomDenyRules)', () => {
    expect(run(world([custom]), flow('mall/client', 'side/api:80'))).toMatchObject({ verdict: 'deny', reason: 'custom-provider-invalid', policy: 'istio-system/ext', decidedBy: { component: 'sidecar' } });
  });

  const audit = policy('istio-system/audit', { action: 'AUDIT', rules: [{}], ...selectApi });
  it('ztunnel: AUDIT is not sent to ztunnel, nothing is reported there', () => {
    expect(run(world([audit]), flow('shop/client', 'amb/api:80')).steps.map((s) => s.code)).not.toContain('policy-action-not-enforced');
  });
  it('sidecar: AUDIT is reported as matched but not enforced', () => {
    const r = run(world([audit]), flow('mall/client', 'side/api:80'));
    expect(r.verdict).toBe('allow');
    expect(r.steps.find((s) => s.code === 'policy-action-not-enforced')).toMatchObject({ policy: 'istio-system/audit', detail: { action: 'AUDIT', matched: true } });
  });

  const dryRunDeny = deny('istio-system/deny-all', [{}], { ...selectApi });
  const dryRun = { ...dryRunDeny, meta: { ...dryRunDeny.meta, annotations: { 'istio.io/dry-run': 'true' } } };
  it('ztunnel: a dry-run policy is dropped by istiod (AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY off)', () => {
    const r = run(world([dryRun]), flow('shop/client', 'amb/api:80'));
    expect(r).toMatchObject({ verdict: 'allow' });
    expect(r.steps.map((s) => s.code)).not.toContain('policy-dry-run');
  });
  it('sidecar: a dry-run DENY is evaluated as a shadow rule and reported, not enforced', () => {
    const r = run(world([dryRun]), flow('mall/client', 'side/api:80'));
    expect(r).toMatchObject({ verdict: 'allow' });
    expect(r.steps.find((s) => s.code === 'policy-dry-run')).toMatchObject({ policy: 'istio-system/deny-all', detail: { matched: true } });
  });
});

describe('ztunnel versus Envoy: PeerAuthentication (pilot/pkg/serviceregistry/ambient/authorization.go convertPeerAuthentication; pilot/pkg/security/authn/policy_applier.go)', () => {
  it('ztunnel: STRICT becomes the DENY istio-system/istio_converted_static_strict', () => {
    expect(run(world([peerAuthentication('amb/default', 'STRICT')]), flow('legacy/old', 'amb/api:80')))
      .toMatchObject({ verdict: 'deny', reason: 'strict-mtls-plaintext-denied', policy: 'istio-system/istio_converted_static_strict', decidedBy: { component: 'destination-ztunnel' } });
  });
  it('sidecar: STRICT refuses the plaintext handshake, named after the PeerAuthentication itself', () => {
    expect(run(world([peerAuthentication('side/default', 'STRICT')]), flow('legacy/old', 'side/api:80')))
      .toMatchObject({ verdict: 'deny', encrypted: false, reason: 'strict-mtls-plaintext-denied', policy: 'side/default', decidedBy: { component: 'sidecar', name: 'side/api' } });
  });
  it('sidecar: an ambient client\'s plain TCP is refused by a STRICT sidecar too', () => {
    expect(run(world([peerAuthentication('side/default', 'STRICT')]), flow('shop/client', 'side/api:80'))).toMatchObject({ verdict: 'deny', reason: 'strict-mtls-plaintext-denied' });
  });
  it('sidecar: a port-level PERMISSIVE (container port) exempts that port from a STRICT workload policy', () => {
    const pa = peerAuthentication('side/api', 'STRICT', { selector: { matchLabels: { app: 'api' } }, portLevelMtls: { '5432': { mode: 'PERMISSIVE' } } });
    expect(run(world([pa]), flow('legacy/old', 'side/api:5432'))).toMatchObject({ verdict: 'allow' });
    expect(run(world([pa]), flow('legacy/old', 'side/api:80'))).toMatchObject({ verdict: 'deny', policy: 'side/api' });
  });
  it('sidecar: DISABLE makes a sidecar client send plaintext (cluster_builder.go buildAutoMtlsSettings), which is then accepted', () => {
    const r = run(world([peerAuthentication('side/default', 'DISABLE')]), flow('mall/client', 'side/api:80'));
    expect(r).toMatchObject({ verdict: 'allow', encrypted: false });
    expect(r.steps.map((s) => s.code)).toContain('routed-sidecar-plaintext-mtls-disabled');
  });
});

describe('ztunnel versus Envoy: waypoints (semantics §4, pitfall 7)', () => {
  const labelled = { labels: { 'istio.io/use-waypoint': 'waypoint' } };
  const c = () => world([waypoint('amb/waypoint'), withTcpPort(service('amb/web', '10.96.0.5', { ...labelled, selector: { app: 'api' } }))]);
  it('ztunnel: an ambient client takes the Service\'s waypoint', () => {
    expect(run(c(), flow('shop/client', 'amb/web:80')).hops.map((h) => h.to)).toEqual(['amb/waypoint', 'amb/api']);
  });
  it('sidecar: a sidecar client skips the waypoint and goes straight to the pod\'s ztunnel', () => {
    const r = run(c(), flow('mall/client', 'amb/web:80'));
    expect(r.hops.map((h) => h.to)).toEqual(['amb/api']);
    expect(r.steps.map((s) => s.code)).toContain('sidecar-skips-waypoint');
  });
});

describe('ztunnel versus Envoy: request principals and JWT (pilot/pkg/security/authn/policy_applier.go; authorization.go httpSources)', () => {
  const jwt = { iss: 'https://idp.example', sub: 'alice', claims: { group: 'admins' } };
  const byPrincipal = allow('istio-system/jwt-only', [{ from: [{ source: { requestPrincipals: ['https://idp.example/alice'] } }] }], selectApi);
  const ra = requestAuthentication('istio-system/idp', ['https://idp.example']);
  it('ztunnel: requestPrincipals is an HTTP attribute, the rule is dropped and the call denied even with a token', () => {
    expect(run(world([byPrincipal, ra]), flow('shop/client', 'amb/api:80', { ...get, jwt }))).toMatchObject({ verdict: 'deny' });
  });
  it('sidecar: the token is validated and request.auth.principal matches requestPrincipals', () => {
    const r = run(world([byPrincipal, ra]), flow('mall/client', 'side/api:80', { ...get, jwt }));
    expect(r).toMatchObject({ verdict: 'allow', policy: 'istio-system/jwt-only' });
    expect(r.steps.find((s) => s.code === 'jwt-validated')).toMatchObject({ policy: 'istio-system/idp' });
  });
  it('sidecar: a request without a token is not rejected by RequestAuthentication; only the ALLOW denies it', () => {
    expect(run(world([ra]), flow('mall/client', 'side/api:80', get))).toMatchObject({ verdict: 'allow' });
    expect(run(world([byPrincipal, ra]), flow('mall/client', 'side/api:80', get))).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
  });
  it('sidecar: a token from an issuer no RequestAuthentication accepts, or an invalid one, is rejected with 401', () => {
    const other = { ...jwt, iss: 'https://evil.example' };
    expect(run(world([ra]), flow('mall/client', 'side/api:80', { ...get, jwt: other }))).toMatchObject({ verdict: 'deny', reason: 'jwt-rejected', policy: 'istio-system/idp', decidedBy: { component: 'sidecar' } });
    expect(run(world([ra]), flow('mall/client', 'side/api:80', { ...get, jwt: { ...jwt, invalid: true } }))).toMatchObject({ verdict: 'deny', reason: 'jwt-rejected' });
  });
  it('sidecar: without any RequestAuthentication a token is ignored', () => {
    expect(run(world([]), flow('mall/client', 'side/api:80', { ...get, jwt: { ...jwt, invalid: true } }))).toMatchObject({ verdict: 'allow' });
  });
  it('sidecar: request.auth.claims[...] conditions read the validated claims', () => {
    const admins = allow('istio-system/admins', [{ when: [{ key: 'request.auth.claims[group]', values: ['admins'] }] }], selectApi);
    expect(run(world([admins, ra]), flow('mall/client', 'side/api:80', { ...get, jwt }))).toMatchObject({ verdict: 'allow', policy: 'istio-system/admins' });
  });
  it('waypoint: a targetRefs RequestAuthentication validates the token there and rejects an unknown issuer', () => {
    const c = world([waypoint('amb/waypoint'), requestAuthentication('amb/idp', ['https://idp.example'], { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }] }),
      { ...service('amb/web', '10.96.0.5', { labels: { 'istio.io/use-waypoint': 'waypoint' }, selector: { app: 'api' } }) }]);
    expect(run(c, flow('shop/client', 'amb/web:80', { ...get, jwt: { ...jwt, iss: 'https://evil.example' } })))
      .toMatchObject({ verdict: 'deny', reason: 'jwt-rejected', decidedBy: { component: 'waypoint', name: 'amb/waypoint' } });
  });
});
