import { describe, expect, it } from 'vitest';
import { convertPeerAuthentications } from '../../src/istiod/convert-peer-authentications.js';
import { authorizeAtZtunnel, compileZtunnelAuthorization } from '../../src/dataplane/authz/ztunnel-rbac.js';
import type { PeerAuthentication } from '../../src/model/cluster.js';
import { peerAuthentication } from '../support/builders.js';

const ROOT = { rootNamespace: 'istio-system' };
const STATIC = 'istio-system/istio_converted_static_strict';
const W = { namespace: 'pay', labels: { app: 'api' } };
const sel = { selector: { matchLabels: { app: 'api' } } };
const ports = (p: Record<string, 'STRICT' | 'PERMISSIVE' | 'DISABLE'>) => ({ ...sel, portLevelMtls: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { mode: v }])) });

/** Whether plaintext to `port` is denied for workload W under these PeerAuthentications. */
function plaintextDenied(pas: PeerAuthentication[], port: number): boolean {
  const c = convertPeerAuthentications(pas, ROOT);
  const keys = c.policiesFor(W);
  const compiled = c.policies.filter((p) => keys.includes(p.key)).map(compileZtunnelAuthorization);
  return authorizeAtZtunnel(compiled, { srcIdentity: null, srcIp: '10.9.9.9', dstIp: '10.0.2.1', dstPort: port }).verdict === 'deny';
}
const mtlsDenied = (pas: PeerAuthentication[], port: number): boolean => {
  const c = convertPeerAuthentications(pas, ROOT);
  const keys = c.policiesFor(W);
  const compiled = c.policies.filter((p) => keys.includes(p.key)).map(compileZtunnelAuthorization);
  return authorizeAtZtunnel(compiled, { srcIdentity: 'spiffe://cluster.local/ns/a/sa/b', srcIp: '10.9.9.9', dstIp: '10.0.2.1', dstPort: port }).verdict === 'deny';
};

// istio/istio:pilot/pkg/serviceregistry/ambient/authorization.go convertedSelectorPeerAuthentications,
// convertPeerAuthentication, effectivePeerAuthenticationKeys; policies.go DefaultPolicy;
// tests/integration/security TestPeerAuthentication.
describe('PeerAuthentication in ambient', () => {
  it('publishes the static STRICT policy whenever any PeerAuthentication exists, and not otherwise (DefaultPolicy)', () => {
    expect(convertPeerAuthentications([], ROOT).policies).toEqual([]);
    expect(convertPeerAuthentications([peerAuthentication('pay/x', 'PERMISSIVE')], ROOT).policies.map((p) => p.key)).toEqual([STATIC]);
  });

  it.each([
    ['mesh STRICT', [peerAuthentication('istio-system/default', 'STRICT')], [STATIC]],
    ['namespace STRICT', [peerAuthentication('pay/default', 'STRICT')], [STATIC]],
    ['namespace PERMISSIVE overrides mesh STRICT', [peerAuthentication('istio-system/default', 'STRICT'), peerAuthentication('pay/default', 'PERMISSIVE')], []],
    ['namespace UNSET inherits mesh STRICT', [peerAuthentication('istio-system/default', 'STRICT'), peerAuthentication('pay/default', 'UNSET')], [STATIC]],
    ['namespace DISABLE overrides an inherited STRICT', [peerAuthentication('istio-system/default', 'STRICT'), peerAuthentication('pay/default', 'DISABLE')], []],
    ['workload STRICT under namespace PERMISSIVE', [peerAuthentication('pay/default', 'PERMISSIVE'), peerAuthentication('pay/api', 'STRICT', sel)], [STATIC]],
    ['workload PERMISSIVE under namespace STRICT', [peerAuthentication('pay/default', 'STRICT'), peerAuthentication('pay/api', 'PERMISSIVE', sel)], []],
    ['root-namespace PAs with a selector are ignored (TestAmbientIndex_Policy)', [peerAuthentication('istio-system/sel', 'STRICT', sel)], []],
    ['another namespace\'s STRICT does not apply', [peerAuthentication('shop/default', 'STRICT')], []],
  ])('effective mode: %s', (_n, pas, keys) => {
    expect(convertPeerAuthentications(pas, ROOT).policiesFor(W)).toEqual(keys);
  });

  it('the oldest namespace-level PeerAuthentication wins', () => {
    const pas = [peerAuthentication('pay/new', 'PERMISSIVE', {}, '2026-02-01T00:00:00Z'), peerAuthentication('pay/old', 'STRICT', {}, '2025-01-01T00:00:00Z')];
    expect(convertPeerAuthentications(pas, ROOT).policiesFor(W)).toEqual([STATIC]);
  });

  it('STRICT denies plaintext and admits mTLS', () => {
    expect(plaintextDenied([peerAuthentication('pay/default', 'STRICT')], 8080)).toBe(true);
    expect(mtlsDenied([peerAuthentication('pay/default', 'STRICT')], 8080)).toBe(false);
  });

  it('workload STRICT with a PERMISSIVE port: one converted policy, no static one (strict-permissive-ports)', () => {
    const pas = [peerAuthentication('pay/api', 'STRICT', ports({ 9090: 'PERMISSIVE' }))];
    const c = convertPeerAuthentications(pas, ROOT);
    expect(c.policiesFor(W)).toEqual(['pay/converted_peer_authentication_api']);
    expect(plaintextDenied(pas, 8080)).toBe(true);
    expect(plaintextDenied(pas, 9090)).toBe(false);
  });

  it('workload PERMISSIVE with a STRICT port denies plaintext only there (global-permissive-strict-workload-ports)', () => {
    const pas = [peerAuthentication('pay/api', 'PERMISSIVE', ports({ 9090: 'STRICT' }))];
    expect(plaintextDenied(pas, 9090)).toBe(true);
    expect(plaintextDenied(pas, 8080)).toBe(false);
  });

  it('DISABLE behaves like PERMISSIVE for port exceptions under a workload STRICT', () => {
    const pas = [peerAuthentication('pay/api', 'STRICT', ports({ 9090: 'DISABLE' }))];
    expect(plaintextDenied(pas, 9090)).toBe(false);
    expect(plaintextDenied(pas, 8080)).toBe(true);
  });

  it('workload UNSET with a PERMISSIVE port under namespace STRICT merges the strictness (global-strict-permissive-workload-ports)', () => {
    const pas = [peerAuthentication('pay/default', 'STRICT'), peerAuthentication('pay/api', 'UNSET', ports({ 9090: 'PERMISSIVE' }))];
    expect(convertPeerAuthentications(pas, ROOT).policiesFor(W)).toEqual(['pay/converted_peer_authentication_api']);
    expect(plaintextDenied(pas, 9090)).toBe(false);
    expect(plaintextDenied(pas, 8080)).toBe(true);
  });

  it('code-derived corner: workload PERMISSIVE with a STRICT port under a mesh STRICT builds nothing, so plaintext to that port is accepted', () => {
    const pas = [peerAuthentication('istio-system/default', 'STRICT'), peerAuthentication('pay/api', 'PERMISSIVE', ports({ 9090: 'STRICT' }))];
    const c = convertPeerAuthentications(pas, ROOT);
    expect(c.policiesFor(W)).toEqual(['pay/converted_peer_authentication_api']);
    expect(c.policies.map((p) => p.key)).not.toContain('pay/converted_peer_authentication_api');
    expect(plaintextDenied(pas, 9090)).toBe(false);
  });

  it('code-derived corner: workload UNSET with a DISABLE port under an inherited STRICT keeps the static policy, so the DISABLE port is denied', () => {
    const pas = [peerAuthentication('pay/default', 'STRICT'), peerAuthentication('pay/api', 'UNSET', ports({ 9090: 'DISABLE' }))];
    expect(convertPeerAuthentications(pas, ROOT).policiesFor(W)).toContain(STATIC);
    expect(plaintextDenied(pas, 9090)).toBe(true);
  });
});
