import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';
import { JsonPositions } from '../../../src/load/manifests/json-positions.js';

const policy = (name: string, ports: unknown[]) => ({
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'a' },
  spec: { rules: [{ to: [{ operation: { ports } }] }] },
});
const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [policy('good', ['8080']), policy('bad', [8080])] }, null, 2);
const lineOf = (written: string) => text.split('\n').findIndex((l) => l.trim() === written) + 1;

describe('loadManifests() finds the field positions of a policy when they are first read', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('not while loading a policy that has no problem, once when read, and then kept', () => {
    const scans = vi.spyOn(JsonPositions.prototype, 'positionsBelow');
    const loaded = loadManifests([{ file: 'p.json', text }]);
    expect(loaded.cluster.authorizationPolicies.map((p) => p.meta.ref.name)).toEqual(['good']);
    expect(scans).toHaveBeenCalledTimes(1);
    const meta = loaded.cluster.authorizationPolicies[0]?.meta;
    expect(meta?.positions?.['spec.rules.0.to.0.operation.ports.0']).toEqual([lineOf('"8080"'), 21]);
    expect(meta?.positions).toBe(meta?.positions);
    expect(scans).toHaveBeenCalledTimes(2);
  });

  it('the rejected policy is located at its field, and a copy of a meta carries the positions as data', () => {
    const loaded = loadManifests([{ file: 'p.json', text }]);
    expect(loaded.diagnostics).toContainEqual(expect.objectContaining({ code: 'invalid-field-type', line: lineOf('8080'), column: 21 }));
    const meta = loaded.cluster.authorizationPolicies[0]?.meta;
    const copy = { ...meta };
    expect(Object.getOwnPropertyDescriptor(copy, 'positions')).toMatchObject({ value: meta?.positions });
    expect(Object.keys(meta ?? {})).toEqual(['ref', 'source', 'labels', 'annotations', 'positions']);
    expect(JSON.parse(JSON.stringify(meta)).positions['spec.rules.0.to.0.operation.ports.0']).toEqual([lineOf('"8080"'), 21]);
  });
});
