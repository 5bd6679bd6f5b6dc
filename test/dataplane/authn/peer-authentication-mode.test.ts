import { describe, expect, it } from 'vitest';
import { sidecarMtlsMode } from '../../../src/dataplane/authn/peer-authentication-mode.js';
import { peerAuthentication } from '../../support/builders.js';

const api = { namespace: 'side', labels: { app: 'api' } };
const selector = { selector: { matchLabels: { app: 'api' } } };

// istio/istio:pilot/pkg/security/authn/policy_applier.go ComposePeerAuthentication
describe('sidecarMtlsMode() composes PeerAuthentications as istiod does for sidecars', () => {
  it('defaults to PERMISSIVE with no PeerAuthentication', () => {
    expect(sidecarMtlsMode([], api, 8080, 'istio-system')).toEqual({ mode: 'PERMISSIVE', policy: null });
  });
  it('lets the namespace override the mesh, and an UNSET workload inherit it', () => {
    const pas = [peerAuthentication('istio-system/mesh', 'STRICT'), peerAuthentication('side/ns', 'PERMISSIVE'), peerAuthentication('side/w', 'UNSET', selector)];
    expect(sidecarMtlsMode(pas, api, 8080, 'istio-system')).toEqual({ mode: 'PERMISSIVE', policy: 'side/ns' });
  });
  it('applies a port-level mode to that container port only', () => {
    const pas = [peerAuthentication('side/w', 'STRICT', { ...selector, portLevelMtls: { '9090': { mode: 'DISABLE' } } })];
    expect(sidecarMtlsMode(pas, api, 9090, 'istio-system').mode).toBe('DISABLE');
    expect(sidecarMtlsMode(pas, api, 8080, 'istio-system').mode).toBe('STRICT');
  });
  it('ignores root-namespace PeerAuthentications with a selector', () => {
    expect(sidecarMtlsMode([peerAuthentication('istio-system/w', 'STRICT', selector)], api, 8080, 'istio-system').mode).toBe('PERMISSIVE');
  });
});
