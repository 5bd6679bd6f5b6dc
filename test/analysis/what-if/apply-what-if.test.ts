import { describe, expect, it } from 'vitest';
import { applyWhatIf } from '../../../src/analysis/what-if/apply-what-if.js';
import type { Controller, Pod } from '../../../src/model/cluster.js';
import type { WhatIfStep } from '../../../src/model/scenario.js';
import type { SourceRef } from '../../../src/model/source.js';
import { allow, ambientNamespace, cluster, namespace, peerAuthentication, pod, service, waypoint } from '../../support/builders.js';

const at: SourceRef = { file: 'scenario.yaml', document: 0, line: 7 };

const base = cluster([
  ambientNamespace('payments'), namespace('orders'),
  pod('payments/api-0', '10.0.1.5'), pod('orders/checkout-0', '10.0.2.5'),
  service('payments/api', '10.96.0.10'),
  allow('payments/legacy-allow', [{ from: [{ source: { namespaces: ['orders'] } }] }]),
]);

describe('applyWhatIf() applies steps in order as kubectl would', () => {
  it('10,000 steps apply, replace, relabel and delete in order, each costing what it touches (a whole-cluster copy per step took 75 s)', () => {
    const steps: WhatIfStep[] = [];
    for (let i = 0; i < 10_000; i++) steps.push({ kind: 'apply', objects: [allow(`orders/p-${i}`, [{}])], source: at });
    for (let i = 0; i < 10_000; i += 2) steps.push({ kind: 'delete', targets: [{ kind: 'AuthorizationPolicy', namespace: 'orders', name: `p-${i}` }], source: at });
    steps.push({ kind: 'apply', objects: [allow('orders/p-1', [{ from: [{ source: { namespaces: ['payments'] } }] }])], source: at });
    steps.push({ kind: 'label', target: { kind: 'Namespace', name: 'orders' }, set: { team: 'o' }, remove: [], source: at });
    const { cluster: after, notes, diagnostics } = applyWhatIf(base, steps);
    expect(diagnostics).toEqual([]);
    expect(notes).toHaveLength(15_002);
    // The replaced policy keeps its place; the deleted ones leave no gap.
    expect(after.authorizationPolicies.map((p) => p.meta.ref.name)).toEqual(['legacy-allow', ...Array.from({ length: 5_000 }, (_, i) => `p-${2 * i + 1}`)]);
    expect(after.authorizationPolicies[1]?.spec.rules).toEqual([{ from: [{ source: { namespaces: ['payments'] } }] }]);
    expect(after.namespaces.find((n) => n.meta.ref.name === 'orders')?.meta.labels).toEqual(expect.objectContaining({ team: 'o' }));
  });

  it('apply replaces the object with the same kind/namespace/name and adds new ones', () => {
    const replacement = allow('payments/legacy-allow', [{}]);
    const added = waypoint('payments/waypoint');
    const { cluster: after, notes } = applyWhatIf(base, [{ kind: 'apply', objects: [replacement, added], source: at }]);
    expect(after.authorizationPolicies).toEqual([replacement]);
    expect(after.gateways).toEqual([added]);
    expect(notes).toEqual(['replaced AuthorizationPolicy payments/legacy-allow', 'added Gateway payments/waypoint']);
  });

  it('delete removes the object and warns, changing nothing, when it does not exist', () => {
    const { cluster: after, diagnostics } = applyWhatIf(base, [{
      kind: 'delete', source: at,
      targets: [{ kind: 'AuthorizationPolicy', namespace: 'payments', name: 'legacy-allow' }, { kind: 'Service', namespace: 'payments', name: 'nope' }],
    }]);
    expect(after.authorizationPolicies).toEqual([]);
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'what-if-target-missing', file: 'scenario.yaml', line: 7 }]);
    expect(diagnostics[0]?.message).toContain('Service payments/nope');
  });

  it('label sets and removes labels on a namespace', () => {
    const { cluster: after } = applyWhatIf(base, [{ kind: 'label', target: { kind: 'Namespace', name: 'payments' }, set: { 'istio.io/use-waypoint': 'waypoint' }, remove: ['istio.io/dataplane-mode'], source: at }]);
    expect(after.namespaces.find((n) => n.meta.ref.name === 'payments')?.meta.labels).toEqual({ 'istio.io/use-waypoint': 'waypoint' });
  });

  it('label on a controller changes its pod template and its pods, as a rollout would', () => {
    const deployment: Controller = { kind: 'Deployment', meta: { ref: { kind: 'Deployment', namespace: 'orders', name: 'checkout' }, source: at, labels: {}, annotations: {} }, replicas: 1, template: { labels: { app: 'checkout' }, annotations: {}, serviceAccount: 'checkout', hostNetwork: false, ports: [] } };
    const owned: Pod = { ...pod('orders/checkout-0', '10.0.2.5'), owner: 'orders/checkout' };
    const c = cluster([namespace('orders'), owned], { controllers: [deployment] });
    const { cluster: after } = applyWhatIf(c, [{ kind: 'label', target: { kind: 'Deployment', namespace: 'orders', name: 'checkout' }, set: { 'istio.io/dataplane-mode': 'ambient' }, remove: [], source: at }]);
    expect(after.controllers[0]?.template.labels['istio.io/dataplane-mode']).toBe('ambient');
    expect(after.pods[0]?.meta.labels['istio.io/dataplane-mode']).toBe('ambient');
  });

  it('steps see the result of the steps before them', () => {
    const steps: WhatIfStep[] = [
      { kind: 'delete', targets: [{ kind: 'AuthorizationPolicy', namespace: 'payments', name: 'legacy-allow' }], source: at },
      { kind: 'apply', objects: [allow('payments/legacy-allow', [{}])], source: at },
    ];
    expect(applyWhatIf(base, steps).cluster.authorizationPolicies.map((p) => p.spec.rules)).toEqual([[{}]]);
  });

  it('leaves the input cluster as it was', () => {
    const snapshot = JSON.stringify(base);
    applyWhatIf(base, [{ kind: 'ambient', namespace: 'orders', enabled: true, source: at }]);
    expect(JSON.stringify(base)).toBe(snapshot);
  });
});

describe('applyWhatIf() migration moves', () => {
  it('ambient labels the namespace istio.io/dataplane-mode=ambient (istio/istio:cni/pkg/util/enablement_selector.go)', () => {
    const { cluster: after } = applyWhatIf(base, [{ kind: 'ambient', namespace: 'orders', enabled: true, source: at }]);
    expect(after.namespaces.find((n) => n.meta.ref.name === 'orders')?.meta.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
  });

  it('ambient creates a namespace the manifests did not include', () => {
    const { cluster: after, notes } = applyWhatIf(base, [{ kind: 'ambient', namespace: 'new', enabled: true, source: at }]);
    expect(after.namespaces.map((n) => n.meta.ref.name)).toContain('new');
    expect(notes[0]).toContain('(created)');
  });

  it('useWaypoint labels a Service, with the waypoint namespace for ns/name (pilot/pkg/serviceregistry/ambient/waypoints.go GetUseWaypoint)', () => {
    const { cluster: after } = applyWhatIf(base, [{ kind: 'useWaypoint', target: { service: 'payments/api' }, waypoint: 'shared/waypoint', source: at }]);
    expect(after.services[0]?.meta.labels).toEqual({ 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'shared' });
  });

  it('useWaypoint on a missing Service warns and changes nothing', () => {
    const { cluster: after, diagnostics } = applyWhatIf(base, [{ kind: 'useWaypoint', target: { service: 'payments/nope' }, waypoint: 'none', source: at }]);
    expect(after).toEqual(base);
    expect(diagnostics[0]?.code).toBe('what-if-target-missing');
  });

  it('addWaypoint creates a ready istio-waypoint Gateway, as istioctl waypoint apply does (istio/istio:istioctl/pkg/waypoint/waypoint.go)', () => {
    const { cluster: after } = applyWhatIf(base, [{ kind: 'addWaypoint', namespace: 'payments', name: 'waypoint', for: 'all', enrollNamespace: true, source: at }]);
    const gw = after.gateways[0];
    expect(gw).toMatchObject({ gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutesFrom: 'Same' }] });
    expect(gw?.meta.labels).toEqual({ 'istio.io/waypoint-for': 'all' });
    expect(gw?.statusAddresses).toHaveLength(1);
    expect(after.services.flatMap((s) => s.clusterIPs)).not.toContain(gw?.statusAddresses[0]);
    expect(after.namespaces.find((n) => n.meta.ref.name === 'payments')?.meta.labels['istio.io/use-waypoint']).toBe('waypoint');
  });

  it('peerAuthentication writes the namespace default and drops other selector-less ones (istiod: oldest wins)', () => {
    const c = cluster([namespace('payments'), peerAuthentication('payments/old', 'PERMISSIVE')]);
    const { cluster: after } = applyWhatIf(c, [{ kind: 'peerAuthentication', namespace: 'payments', mode: 'STRICT', source: at }]);
    expect(after.peerAuthentications.map((p) => [p.meta.ref.name, p.spec.mtls?.mode])).toEqual([['default', 'STRICT']]);
  });

  it('removeSidecarInjection drops the injection labels and the sidecar status annotation (istio/istio:pkg/kube/inject/webhook.go)', () => {
    const c = cluster([
      namespace('legacy', { 'istio-injection': 'enabled' }),
      pod('legacy/app-0', '10.0.3.5', { annotations: { 'sidecar.istio.io/status': '{}' }, labels: { 'sidecar.istio.io/inject': 'true' } }),
    ]);
    const { cluster: after } = applyWhatIf(c, [{ kind: 'removeSidecarInjection', namespace: 'legacy', source: at }]);
    expect(after.namespaces[0]?.meta.labels).toEqual({});
    expect(after.pods[0]?.meta.annotations).toEqual({});
    expect(after.pods[0]?.meta.labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(after.pods[0]?.template.annotations).toEqual({});
  });
});
