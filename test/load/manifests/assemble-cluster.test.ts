import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterObject, ObjectMeta } from '../../../src/model/cluster.js';
import { DEFAULT_MESH_CONFIG } from '../../../src/model/cluster.js';
import { assembleCluster } from '../../../src/load/manifests/assemble-cluster.js';

const text = fc.string({ unit: fc.constantFrom('a', 'B', 'b', '-', '/', '.', '1', '10', 'é', 'E', ' '), maxLength: 4 });
const meta = (kind: string, namespace: string | undefined, name: string, line: number): ObjectMeta => ({
  ref: namespace === undefined ? { kind, name } : { kind, namespace, name }, source: { file: 'm.yaml', document: 0, line }, labels: {}, annotations: {},
});
const template = { labels: {}, annotations: {}, serviceAccount: 'default', hostNetwork: false, ports: [] };
const object = fc.tuple(fc.constantFrom('Namespace', 'ServiceAccount', 'Deployment', 'Job', 'AuthorizationPolicy'), fc.option(text, { nil: undefined }), text)
  .map(([kind, namespace, name]) => ({ kind, namespace, name }));

function build(specs: readonly { kind: string; namespace: string | undefined; name: string }[]): ClusterObject[] {
  return specs.map(({ kind, namespace, name }, line): ClusterObject => {
    const m = meta(kind, namespace, name, line);
    if (kind === 'Deployment' || kind === 'Job') return { kind, meta: m, replicas: 0, template };
    if (kind === 'AuthorizationPolicy') return { kind, meta: m, spec: { action: 'ALLOW' } };
    return { kind, meta: m } as ClusterObject;
  });
}

/** The order the loader has always promised: `namespace/name` by localeCompare, ties in file order. */
const inKeyOrder = (objects: readonly ClusterObject[], kinds: readonly string[]) => objects.filter((o) => kinds.includes(o.kind))
  .sort((a, b) => `${a.meta.ref.namespace ?? 'default'}/${a.meta.ref.name}`.localeCompare(`${b.meta.ref.namespace ?? 'default'}/${b.meta.ref.name}`));

describe('assembleCluster() lists each kind in namespace/name order', () => {
  it('by localeCompare of the keys, ties in the order they were written, controllers of all kinds together', () => {
    fc.assert(fc.property(fc.array(object, { maxLength: 30 }), (specs) => {
      const objects = build(specs);
      const { cluster } = assembleCluster({ objects, skipped: [], rsOwner: new Map(), podOwnerRefs: [], meshConfig: DEFAULT_MESH_CONFIG, istiodEnv: {} });
      expect(cluster.namespaces).toStrictEqual(inKeyOrder(objects, ['Namespace']));
      expect(cluster.serviceAccounts).toStrictEqual(inKeyOrder(objects, ['ServiceAccount']));
      expect(cluster.controllers).toStrictEqual(inKeyOrder(objects, ['Deployment', 'Job']));
      expect(cluster.authorizationPolicies).toStrictEqual(inKeyOrder(objects, ['AuthorizationPolicy']));
      for (const [i, o] of cluster.namespaces.entries()) expect(o).toBe(inKeyOrder(objects, ['Namespace'])[i]);
    }), { numRuns: 300 });
  });
});
