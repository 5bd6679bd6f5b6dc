import { describe, expect, it } from 'vitest';
import { explainFlow } from '../../src/index.js';
import { resolveMesh } from '../../src/istiod/resolve-mesh.js';
import type { Pod } from '../../src/model/cluster.js';
import { ambientNamespace, cluster, flow, namespace, pod } from '../support/builders.js';

const at = (p: Pod, file: string, line: number): Pod => ({ ...p, meta: { ...p.meta, source: { file, document: 0, line } } });
const conflicts = (c: ReturnType<typeof cluster>) => resolveMesh(c).diagnostics.filter((d) => d.code === 'duplicate-pod-ip');

// ztunnel src/state/workload.rs WorkloadByAddr::get ranks workloads sharing an address: pods first,
// then HBONE (ambient) ones; among equals max_by_key keeps the last inserted. Upstream's test
// overlapping_workload_ip covers the pod-over-WorkloadEntry rank (WorkloadEntries are not modelled).
describe('two running pods with one IP (ztunnel state/workload.rs WorkloadByAddr::get)', () => {
  it('are a warning naming both pods and their files and lines', () => {
    const c = cluster([namespace('a'), namespace('b'), at(pod('a/one', '10.0.0.5'), 'a.yaml', 3), at(pod('b/two', '10.0.0.5'), 'b.yaml', 7), pod('a/other', '10.0.0.6')]);
    const found = conflicts(c);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', file: 'a.yaml', line: 3 });
    expect(found[0]?.message).toContain('Pod a/one (a.yaml:3), Pod b/two (b.yaml:7)');
    expect(found[0]?.message).toContain('cannot be told from the manifests');
  });

  it('the pod in ambient mode (HBONE) wins over one outside the mesh, and the flow reaches it', () => {
    const c = cluster([namespace('a'), ambientNamespace('b'), pod('a/plain', '10.0.0.5'), pod('b/meshed', '10.0.0.5'), pod('b/client', '10.0.0.9')]);
    expect(conflicts(c)[0]?.message).toContain('to the pod in ambient mode, Pod b/meshed');
    expect(explainFlow(c, flow('b/client', '10.0.0.5:8080')).result.destination).toBe('b/meshed:8080');
  });

  it('among equals the simulation uses the first by namespace/name, and says it is a choice', () => {
    const c = cluster([ambientNamespace('a'), ambientNamespace('b'), pod('b/two', '10.0.0.5'), pod('a/one', '10.0.0.5'), pod('a/client', '10.0.0.9')]);
    expect(conflicts(c)[0]?.message).toContain('the simulation uses Pod a/one');
    expect(explainFlow(c, flow('a/client', '10.0.0.5:8080')).result.destination).toBe('a/one:8080');
  });

  it('a completed pod holding the same IP is no conflict', () => {
    const done: Pod = { ...pod('a/job', '10.0.0.5'), phase: 'Succeeded' };
    expect(conflicts(cluster([namespace('a'), done, pod('a/live', '10.0.0.5')]))).toEqual([]);
  });

  it('host-network pods sharing their node\'s address are no conflict', () => {
    const c = cluster([namespace('a'), pod('a/agent-1', '192.168.0.1', { hostNetwork: true }), pod('a/agent-2', '192.168.0.1', { hostNetwork: true })]);
    expect(conflicts(c)).toEqual([]);
  });
});
