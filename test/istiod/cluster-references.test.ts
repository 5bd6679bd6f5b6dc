import { describe, expect, it } from 'vitest';
import { resolveMesh } from '../../src/istiod/resolve-mesh.js';
import { loadManifests } from '../../src/load/manifests/load-manifests.js';
import type { Pod } from '../../src/model/cluster.js';
import { cluster, namespace, node, pod, service } from '../support/builders.js';

const codes = (c: ReturnType<typeof cluster>, code: string) => resolveMesh(c).diagnostics.filter((d) => d.code === code);
const at = (p: Pod, file: string, line: number): Pod => ({ ...p, meta: { ...p.meta, source: { file, document: 0, line } } });

describe('objects in a namespace the manifests lack (the API server refuses them: NamespaceLifecycle admission)', () => {
  it('are reported once per namespace, at the first object in file order, when the manifests define namespaces', () => {
    const c = cluster([namespace('shop'), at(pod('payments/b', '10.0.0.2'), 'b.yaml', 9), at(pod('payments/a', '10.0.0.1'), 'a.yaml', 4), service('payments/api', '10.96.0.1')]);
    const found = codes(c, 'unknown-namespace');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', object: 'Pod payments/a', file: 'a.yaml', line: 4 });
    expect(found[0]?.message).toContain('and 2 other objects');
  });

  it('are not reported when the manifests define no namespace at all (a partial export)', () => {
    expect(codes(cluster([pod('payments/a', '10.0.0.1')]), 'unknown-namespace')).toEqual([]);
  });

  it('default and the namespaces the API server creates itself need no manifest', () => {
    const c = cluster([namespace('shop'), pod('default/a', '10.0.0.1'), pod('kube-system/dns', '10.0.0.2'), pod('kube-node-lease/x', '10.0.0.3')]);
    expect(codes(c, 'unknown-namespace')).toEqual([]);
  });
});

describe('pods on a node the manifests lack', () => {
  it('are reported once per node when the manifests define nodes', () => {
    const c = cluster([namespace('shop'), node('n1', '192.168.0.1'), pod('shop/a', '10.0.0.1', { node: 'n2' }), pod('shop/b', '10.0.0.2', { node: 'n2' }), pod('shop/c', '10.0.0.3', { node: 'n1' })]);
    const found = codes(c, 'unknown-node');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('node n2');
    expect(found[0]?.object).toBe('Pod shop/a');
  });

  it('are not reported when the manifests define no node', () => {
    expect(codes(cluster([namespace('shop'), pod('shop/a', '10.0.0.1', { node: 'n2' })]), 'unknown-node')).toEqual([]);
  });
});

describe('pod and host IPs that are not IPs (istiod skips such a pod: ambient/workloads.go podWorkloadBuilder)', () => {
  const text = (podIP: string, hostIP: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: a }\nspec: { containers: [{ name: c }] }\nstatus: { phase: Running, podIP: "${podIP}", hostIP: "${hostIP}" }\n`;

  it('a pod IP that does not parse is reported at the pod, and the pod is no workload', () => {
    const loaded = loadManifests([{ file: 'p.yaml', text: text('10.0.0.256', '192.168.0.1') }]);
    const mesh = resolveMesh(loaded.cluster);
    expect(mesh.diagnostics.filter((d) => d.code === 'invalid-pod-ip')).toEqual([expect.objectContaining({ severity: 'warning', object: 'Pod a/p', file: 'p.yaml', line: 5 })]);
    expect(mesh.workloads.map((w) => w.uid)).not.toContain('a/p');
  });

  it('a host IP that does not parse is reported; the pod stays a workload', () => {
    const loaded = loadManifests([{ file: 'p.yaml', text: text('10.0.0.5', 'node-a') }]);
    const mesh = resolveMesh(loaded.cluster);
    expect(mesh.diagnostics.filter((d) => d.code === 'invalid-pod-ip').map((d) => d.message)).toEqual([expect.stringContaining('status.hostIP')]);
    expect(mesh.workloads.map((w) => w.uid)).toContain('a/p');
  });

  it('valid IPv4 and IPv6 addresses raise nothing', () => {
    const loaded = loadManifests([{ file: 'p.yaml', text: text('fd00::5', '192.168.0.1') }]);
    expect(resolveMesh(loaded.cluster).diagnostics.filter((d) => d.code === 'invalid-pod-ip')).toEqual([]);
  });
});
