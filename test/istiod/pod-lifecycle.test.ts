import { describe, expect, it } from 'vitest';
import { explainFlow } from '../../src/index.js';
import { resolveMesh } from '../../src/istiod/resolve-mesh.js';
import { isEndpointPod, isWorkloadPod } from '../../src/istiod/pod-lifecycle.js';
import { loadManifests } from '../../src/load/manifests/load-manifests.js';
import type { Pod } from '../../src/model/cluster.js';
import { ambientNamespace, cluster, flow, pod, service } from '../support/builders.js';

const withState = (p: Pod, state: Partial<Pick<Pod, 'phase' | 'terminating' | 'ips'>>): Pod => ({ ...p, ...state });

describe('isWorkloadPod() follows istiod ambient podWorkloadBuilder (pilot/pkg/serviceregistry/ambient/workloads.go)', () => {
  const base = pod('jobs/p', '10.0.0.5');
  it.each([
    ['a Running pod with an IP', { phase: 'Running' }, true],
    ['a Pending pod with an IP (init containers still running, istio#48854)', { phase: 'Pending' }, true],
    ['a pod in phase Unknown with an IP (CheckPodTerminal counts only Succeeded and Failed)', { phase: 'Unknown' }, true],
    ['a Succeeded pod (pkg/kube/util.go CheckPodTerminal)', { phase: 'Succeeded' }, false],
    ['a Failed pod (pkg/kube/util.go CheckPodTerminal)', { phase: 'Failed' }, false],
    ['an exported Pending pod without an IP (getPodIPs is empty)', { phase: 'Pending', ips: [] }, false],
    ['a pod whose IP does not parse (netip.ParseAddr fails)', { phase: 'Running', ips: ['10.0.0.300'] }, false],
    ['a hand-written pod without any status', { ips: [] }, true],
    ['a pod being deleted (still a workload, marked UNHEALTHY)', { phase: 'Running', terminating: true }, true],
  ] as const)('%s: %s', (_name, state, want) => {
    expect(isWorkloadPod(withState(base, state))).toBe(want);
  });
});

describe('isEndpointPod() follows ShouldPodBeInEndpoints (kubernetes pkg/controller/util/endpoint/controller_utils.go)', () => {
  const base = pod('shop/api', '10.0.0.7');
  it.each([
    ['a Running pod', { phase: 'Running' }, true],
    ['a pod with a deletionTimestamp', { phase: 'Running', terminating: true }, false],
    ['a Succeeded pod', { phase: 'Succeeded' }, false],
  ] as const)('%s: %s', (_name, state, want) => {
    expect(isEndpointPod(withState(base, state))).toBe(want);
  });
});

describe('resolveMesh() leaves completed pods out, so their reused IPs reach the live pod', () => {
  it('a Succeeded Job pod is no workload and its podIP resolves to the running pod that has it now', () => {
    const done = withState(pod('jobs/migrate-abc', '10.0.0.5', { labels: { app: 'api' } }), { phase: 'Succeeded' });
    const live = withState(pod('shop/api', '10.0.0.5'), { phase: 'Running' });
    const c = cluster([ambientNamespace('jobs'), ambientNamespace('shop'), done, live, pod('shop/client', '10.0.0.9')]);
    const mesh = resolveMesh(c);
    expect(mesh.workloads.map((w) => w.uid)).not.toContain('jobs/migrate-abc');
    const result = explainFlow(c, flow('shop/client', '10.0.0.5:8080')).result;
    expect(result.destination).toBe('shop/api:8080');
  });

  it('a pod being deleted is still reachable at its IP but is no endpoint of its Service (ztunnel should_include_endpoint)', () => {
    const leaving = withState(pod('shop/api-old', '10.0.0.6', { labels: { app: 'api' } }), { phase: 'Running', terminating: true });
    const c = cluster([ambientNamespace('shop'), leaving, pod('shop/api', '10.0.0.7'), service('shop/api', '10.96.0.1')]);
    const mesh = resolveMesh(c);
    expect(mesh.services.find((s) => s.key === 'shop/api')?.endpoints).toEqual(['shop/api']);
    expect(mesh.workloads.find((w) => w.uid === 'shop/api-old')?.terminating).toBe(true);
  });
});

describe('a Job whose pod completed', () => {
  it('gets no generated pod in place of the completed one, and has no workload', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: migrate, namespace: jobs }\nspec: { template: { metadata: { labels: { app: migrate } }, spec: { containers: [{ name: c }] } } }\n';
    const done = 'apiVersion: v1\nkind: Pod\nmetadata: { name: migrate-x1, namespace: jobs, ownerReferences: [{ kind: Job, name: migrate, controller: true }] }\nspec: { containers: [{ name: c }] }\nstatus: { phase: Succeeded, podIP: 10.0.0.5 }\n';
    const loaded = loadManifests([{ file: 'j.yaml', text: `${job}---\n${done}` }]);
    expect(loaded.stats.generatedPods).toBe(0);
    expect(resolveMesh(loaded.cluster).workloads.filter((w) => w.namespace === 'jobs')).toEqual([]);
  });
});

describe('loadManifests() reads a pod\'s phase and deletionTimestamp', () => {
  it('status.phase and metadata.deletionTimestamp are kept on the Pod', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: a, deletionTimestamp: "2026-01-01T00:00:00Z" }\nspec: { containers: [{ name: c }] }\nstatus: { phase: Running, podIP: 10.0.0.1 }\n';
    const p = loadManifests([{ file: 'p.yaml', text }]).cluster.pods[0];
    expect(p).toMatchObject({ phase: 'Running', terminating: true, ips: ['10.0.0.1'] });
  });
});

// Conformance with istio/istio pilot/pkg/serviceregistry/ambient/workloads_test.go TestPodWorkloads,
// cases kept under upstream's names (whether a Workload is produced for the pod at all).
describe('TestPodWorkloads (pilot/pkg/serviceregistry/ambient/workloads_test.go): which pods become workloads', () => {
  const podYaml = (status: string, spec = '{ containers: [{ name: c }] }') => `apiVersion: v1\nkind: Pod\nmetadata: { name: name, namespace: ns }\nspec: ${spec}\nstatus: ${status}\n`;
  it.each([
    ['simple pod not running and not have podIP', podYaml('{ phase: Pending }'), false],
    ['simple pod not running but have podIP', podYaml('{ phase: Pending, podIP: 1.2.3.4 }'), true],
    ['simple pod not ready', podYaml('{ phase: Running, podIP: 1.2.3.4 }'), true],
    ['host network pod', podYaml('{ phase: Running, podIP: 1.2.3.4 }', '{ hostNetwork: true, containers: [{ name: c }] }'), true],
  ] as const)('%s', (_name, text, produced) => {
    const mesh = resolveMesh(loadManifests([{ file: 'p.yaml', text }]).cluster);
    expect(mesh.workloads.some((w) => w.uid === 'ns/name')).toBe(produced);
  });
});
