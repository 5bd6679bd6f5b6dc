import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';

const load = (text: string, file = 'p.yaml') => loadManifests([{ file, text }]);
const policy = (spec: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: a }\nspec:\n${spec}`;
const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: ok }\n';

// kubectl converts YAML with sigs.k8s.io/yaml, whose strict reading refuses a repeated key
// (gopkg.in/yaml.v2 decode.go setMapIndex: `line N: key "action" already set in map`).
describe('a mapping key set twice is an error, as kubectl and the API server report it (yaml.v2 decode.go setMapIndex)', () => {
  it('action: ALLOW then action: DENY rejects the document at the second key and names the first', () => {
    const r = load(`${namespace}---\n${policy('  action: ALLOW\n  action: DENY\n  rules: [{}]\n')}`);
    expect(r.cluster.authorizationPolicies).toEqual([]);
    expect(r.cluster.namespaces.map((n) => n.meta.ref.name)).toEqual(['ok']);
    const d = r.diagnostics.find((x) => x.code === 'duplicate-key');
    expect(d).toMatchObject({ severity: 'error', file: 'p.yaml', line: 10, column: 3 });
    expect(d?.message).toContain('error converting YAML to JSON: yaml: unmarshal errors: line 10: key "action" already set in map (first set at line 9)');
  });

  it('a key repeated in a nested flow mapping is found too', () => {
    const r = load('apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labels: { x: "1", x: "2" } }\n');
    expect(r.cluster.namespaces).toEqual([]);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'duplicate-key', line: 3 }));
  });

  it('a key merged in with << and then written is no duplicate, nor are two merges (yaml.v2 isMerge)', () => {
    const r = load('apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: &l { a: "1" }\n  annotations: { <<: *l, <<: *l, a: "2" }\n  name: n\n');
    expect(r.diagnostics.filter((d) => d.code === 'duplicate-key')).toEqual([]);
  });

  it('the same key in sibling mappings is no duplicate', () => {
    const r = load(policy('  action: ALLOW\n  rules:\n  - to: [{ operation: { ports: ["80"] } }]\n  - to: [{ operation: { ports: ["81"] } }]\n'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.cluster.authorizationPolicies).toHaveLength(1);
  });
});

// The API server decodes JSON strictly with sigs.k8s.io/json (decode.go objectInterface: `duplicate field "action"`);
// JSON.parse would keep the last value without a word.
describe('a JSON member key set twice is an error (sigs.k8s.io/json decode.go objectInterface)', () => {
  it('the document is rejected at the second key', () => {
    const text = '{\n  "apiVersion": "security.istio.io/v1",\n  "kind": "AuthorizationPolicy",\n  "metadata": { "name": "p", "namespace": "a" },\n  "spec": { "action": "ALLOW",\n    "action": "DENY", "rules": [{}] }\n}\n';
    const r = load(text, 'p.json');
    expect(r.cluster.authorizationPolicies).toEqual([]);
    const d = r.diagnostics.find((x) => x.code === 'duplicate-key');
    expect(d).toMatchObject({ severity: 'error', file: 'p.json', line: 6, column: 5 });
    expect(d?.message).toContain('json: duplicate field "action"');
  });

  it('a string value holding `":` is no key and raises nothing', () => {
    const text = '{ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "a", "annotations": { "note": "x\\":y" } } }';
    const r = load(text, 'n.json');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.cluster.namespaces).toHaveLength(1);
  });
});

describe('a key set twice is quoted as any value from the input is: a short excerpt (excerpt.ts)', () => {
  const long = 'k'.repeat(200);
  it.each([
    ['YAML', 'p.yaml', `apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labels: { ${long}: "1", ${long}: "2" } }\n`],
    ['JSON', 'p.json', `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","labels":{"${long}":"1","${long}":"2"}}}\n`],
  ])('%s', (_format, file, text) => {
    const d = load(text, file).diagnostics.find((x) => x.code === 'duplicate-key');
    expect(d?.message).toContain(`"${'k'.repeat(40)}…"`);
    expect(d?.message).not.toContain('k'.repeat(41));
  });
});
