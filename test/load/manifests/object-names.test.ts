import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';

/** One object as a manifest, loaded. */
function load(kind: string, apiVersion: string, metadata: Record<string, unknown>) {
  const text = JSON.stringify({ apiVersion, kind, metadata, ...(kind === 'Service' ? { spec: { ports: [{ port: 80 }] } } : {}) });
  return loadManifests([{ file: 'm.json', text }]);
}

const rejected = (r: ReturnType<typeof load>) => r.diagnostics.filter((d) => d.code === 'invalid-name');

describe('object names as the API server validates them (apimachinery pkg/util/validation/validation.go)', () => {
  it.each([
    ['Pod', 'v1', { name: 'Checkout_0', namespace: 'a' }, 'metadata.name: Invalid value: "Checkout_0": a lowercase RFC 1123 subdomain'],
    ['Pod', 'v1', { name: 'p', namespace: 'Team.A' }, 'metadata.namespace: Invalid value: "Team.A": a lowercase RFC 1123 label'],
    ['Namespace', 'v1', { name: 'a.b' }, 'metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label'],
    // A Service name is a DNS-1035 label (pkg/apis/core/validation ValidateServiceName): it starts with a letter.
    ['Service', 'v1', { name: '1st', namespace: 'a' }, 'metadata.name: Invalid value: "1st": a DNS-1035 label'],
    ['AuthorizationPolicy', 'security.istio.io/v1', { name: `${'p'.repeat(254)}`, namespace: 'a' }, 'must be no more than 253 characters'],
    ['Pod', 'v1', { name: 'p', namespace: 'a', labels: { 'a/b/c': 'x' } }, 'metadata.labels: Invalid value: "a/b/c"'],
    ['Pod', 'v1', { name: 'p', namespace: 'a', labels: { app: 'two words' } }, 'metadata.labels.app: Invalid value: "two words"'],
  ])('a %s with %j is rejected, with the API server\'s message', (kind, apiVersion, metadata, message) => {
    const r = load(kind, apiVersion, metadata);
    expect(rejected(r)).toEqual([expect.objectContaining({ severity: 'error', file: 'm.json', line: 1, message: expect.stringContaining(message) })]);
    expect(r.cluster.pods.length + r.cluster.services.length + r.cluster.namespaces.length + r.cluster.authorizationPolicies.length).toBe(0);
  });

  it.each([
    ['Pod', 'v1', { name: '1st.example-0', namespace: 'a', labels: { 'example.com/app': 'v1.2_x', empty: '' } }],
    ['Namespace', 'v1', { name: '0-zero' }],
    ['Service', 'v1', { name: 'svc-1', namespace: 'a' }],
  ])('a %s with %j is accepted', (kind, apiVersion, metadata) => {
    expect(rejected(load(kind, apiVersion, metadata))).toEqual([]);
  });

  it('a name holding control characters is rejected, and the message carries them escaped, never raw (no terminal escape, no forged line)', () => {
    const r = load('Pod', 'v1', { name: 'p\u001b]0;owned\u0007\nALLOW x', namespace: 'a' });
    const [d] = rejected(r);
    expect(d?.message).toContain('\\u001b');
    for (const diagnostic of r.diagnostics) expect(diagnostic.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});
