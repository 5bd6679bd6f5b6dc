import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyWhatIf } from '../../../src/analysis/what-if/apply-what-if.js';
import { loadManifestFiles } from '../../../src/files.js';
import { clusterWithPolicies, smallClusterFlow } from '../../../src/generate/index.js';
import { prepareMesh, simulateFlows } from '../../../src/index.js';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';
import type { Cluster } from '../../../src/model/cluster.js';
import type { Flow } from '../../../src/model/flow.js';
import type { FlowResult } from '../../../src/model/result.js';
import type { WhatIfStep } from '../../../src/model/scenario.js';
import type { TimelineEntry } from '../../../src/model/timeline.js';
import { simulate } from '../../../src/sim/simulator.js';
import { simulateTimeline } from '../../../src/sim/timeline/simulate-timeline.js';

const at = { file: 'timeline.yaml', document: 0, line: 1 };
const l4 = (await loadManifestFiles(['scenarios/waypoint-breaks-l4-policy/cluster.yaml', 'scenarios/waypoint-breaks-l4-policy/policies.yaml'])).cluster;
const demo = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;

const pays = (id: string, time: number, extra: Partial<Flow> = {}): Flow => ({
  id, source: { workload: 'orders/checkout' }, destination: { service: 'payments/api', port: 80 }, protocol: 'tcp', time, ...extra,
});
const demoPays = (id: string, time: number, extra: Partial<Flow> = {}): Flow => ({
  id, source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 80 }, protocol: 'http',
  http: { method: 'POST', path: '/api/v1/payments', headers: {} }, time, ...extra,
});

/** An `apply` step of objects written as YAML. */
function apply(yaml: string): WhatIfStep {
  const loaded = loadManifests([{ file: 'step.yaml', text: yaml }]);
  return { kind: 'apply', objects: [...loaded.cluster.authorizationPolicies], source: at };
}
const denyCheckout = apply(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-checkout, namespace: payments }
spec:
  action: DENY
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/orders/sa/checkout"] } }] }]
`);
const configure = (time: number, step: WhatIfStep): TimelineEntry => ({ kind: 'configure', at: time, step, source: at });
const run = (cluster: Cluster, flows: Flow[], entries: TimelineEntry[], pushDelay = 0) => simulateTimeline(cluster, flows, { entries, settings: { pushDelay } });
const byId = (results: readonly FlowResult[]) => Object.fromEntries(results.map((r) => [r.id, r]));
const withoutTime = (results: readonly FlowResult[]) => results.map(({ time: _, ...rest }) => rest);

describe('simulateTimeline() with no events and with events at time 0', () => {
  it('gives exactly the simulator\'s results, each with its time, when the timeline has no events (generated clusters and traffic)', () => {
    fc.assert(fc.property(clusterWithPolicies(), fc.array(smallClusterFlow, { maxLength: 20 }), (cluster, drawn) => {
      const flows = drawn.map((f, i) => ({ ...f, id: `f${i}`, time: (i * 7) % 5 }));
      const timed = run(cluster, flows, []);
      expect(withoutTime(timed.results)).toEqual(simulate(prepareMesh(cluster), flows).results);
      expect(timed.results.map((r) => r.time)).toEqual(flows.map((f) => f.time));
    }), { numRuns: 40 });
  });

  it('equals the what-if "after" results when every event sits at time 0', () => {
    const steps: WhatIfStep[] = [{ kind: 'addWaypoint', namespace: 'payments', name: 'waypoint', enrollNamespace: false, source: at }, { kind: 'useWaypoint', target: { namespace: 'payments' }, waypoint: 'waypoint', source: at }];
    const flows = [pays('a', 0), pays('b', 3)];
    const after = simulateFlows(applyWhatIf(l4, steps).cluster, flows).results;
    expect(withoutTime(run(l4, flows, steps.map((s) => configure(0, s))).results)).toEqual(after);
    expect(after.map((r) => r.verdict)).toEqual(['deny', 'deny']);
  });
});

describe('simulateTimeline(): configuration versions and istiod pushes', () => {
  it('decides each flow under the configuration pushed before it opened', () => {
    const r = byId(run(l4, [pays('before', 9), pays('at', 10), pays('after', 11)], [configure(10, denyCheckout)]).results);
    expect([r['before']?.verdict, r['at']?.verdict, r['after']?.verdict]).toEqual(['allow', 'deny', 'deny']);
    expect(r['after']).toMatchObject({ reason: 'deny-policy-matched', policy: 'payments/deny-checkout', decidedBy: { component: 'destination-ztunnel' } });
  });

  it('leaves the components on the configuration they had until the push arrives (settings.pushDelay)', () => {
    const r = byId(run(l4, [pays('in-flight', 12), pays('arrived', 15)], [configure(10, denyCheckout)], 5).results);
    expect([r['in-flight']?.verdict, r['arrived']?.verdict]).toEqual(['allow', 'deny']);
  });

  it('lets a ztunnel that restarted enforce the newest configuration before the push reaches the others: each ztunnel enforces its own (src/state.rs assert_rbac)', () => {
    const restart: TimelineEntry = { kind: 'ztunnelRestart', at: 12, node: 'node-2', for: 2, source: at };
    const r = byId(run(l4, [pays('old', 11), pays('restarted-ztunnel', 20), pays('pushed', 41)], [configure(10, denyCheckout), restart], 30).results);
    expect([r['old']?.verdict, r['restarted-ztunnel']?.verdict, r['pushed']?.verdict]).toEqual(['allow', 'deny', 'deny']);
    expect(r['restarted-ztunnel']).toMatchObject({ policy: 'payments/deny-checkout', decidedBy: { name: 'node-2' } });
  });

  it('pushes nothing while istiod is unreachable; components get the newest configuration when it is back', () => {
    const unreachable: TimelineEntry = { kind: 'istiodUnreachable', at: 5, for: 20, source: at };
    const r = byId(run(l4, [pays('during', 20), pays('after', 25)], [unreachable, configure(10, denyCheckout)]).results);
    expect([r['during']?.verdict, r['after']?.verdict]).toEqual(['allow', 'deny']);
  });
});

describe('simulateTimeline(): open connections re-checked on a policy update (istio/ztunnel src/proxy/connection_manager.rs PolicyWatcher)', () => {
  it('closes a connection allowed at its start when the pushed policy no longer allows it', () => {
    const r = byId(run(l4, [pays('long', 1, { duration: 100 }), pays('short', 2)], [configure(50, denyCheckout)]).results);
    expect(r['long']).toMatchObject({ verdict: 'allow', time: 1, closedAt: 50, closedReason: 'closed-by-policy-update' });
    expect(r['short']?.closedAt).toBeUndefined();
  });

  it('re-checks when the push arrives, not when the change is made', () => {
    const r = byId(run(l4, [pays('long', 1, { duration: 100 })], [configure(50, denyCheckout)], 3).results);
    expect(r['long']).toMatchObject({ closedAt: 53 });
  });

  it('leaves a connection that ended before the update, and one the update still allows', () => {
    const allowWeb = apply('apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: allow-web, namespace: payments }\nspec:\n  action: ALLOW\n  rules: [{ from: [{ source: { principals: ["cluster.local/ns/frontend/sa/web"] } }] }]\n');
    const r = byId(run(l4, [pays('ended', 1, { duration: 10 }), pays('still-allowed', 2, { duration: 100 })], [configure(50, allowWeb)]).results);
    expect([r['ended']?.closedAt, r['still-allowed']?.closedAt]).toEqual([undefined, undefined]);
  });

  it('keeps a connection open when the update would change its path: ztunnel re-checks the connection as established', () => {
    const steps: WhatIfStep[] = [{ kind: 'addWaypoint', namespace: 'payments', name: 'waypoint', enrollNamespace: true, source: at }];
    const r = byId(run(l4, [pays('long', 1, { duration: 100 }), pays('new', 60)], steps.map((s) => configure(50, s))).results);
    expect(r['long']?.closedAt).toBeUndefined();
    expect(r['new']).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
  });
});

describe('simulateTimeline(): faults', () => {
  const down: TimelineEntry = { kind: 'waypointDown', at: 10, waypoint: 'fintech-core/payments-waypoint', source: at };
  const up: TimelineEntry = { kind: 'waypointUp', at: 20, waypoint: 'fintech-core/payments-waypoint', source: at };

  it('refuses traffic bound to a waypoint with no ready endpoint instead of bypassing it (istio/ztunnel src/state.rs fetch_waypoint)', () => {
    const r = byId(run(demo, [demoPays('before', 5), demoPays('down', 12), demoPays('up', 20)], [down, up]).results);
    expect(r['before']?.verdict).toBe('allow');
    expect(r['down']).toMatchObject({ verdict: 'deny', encrypted: false, reason: 'waypoint-unavailable', decidedBy: { component: 'none', name: null }, hops: [] });
    expect(r['down']?.steps.at(-1)).toEqual({ at: 'source-ztunnel node-a', code: 'waypoint-unavailable', effect: 'deny', detail: { waypoint: 'fintech-core/payments-waypoint' } });
    expect(r['up']?.verdict).toBe('allow');
  });

  it('ends the connections open through a waypoint when it goes down', () => {
    const r = byId(run(demo, [demoPays('long', 1, { duration: 30 })], [down]).results);
    expect(r['long']).toMatchObject({ verdict: 'allow', closedAt: 10, closedReason: 'waypoint-unavailable' });
  });

  it('refuses new connections through a restarting ztunnel for the window and ends its open ones', () => {
    const restart: TimelineEntry = { kind: 'ztunnelRestart', at: 10, node: 'node-2', for: 5, source: at };
    const r = byId(run(l4, [pays('open', 1, { duration: 60 }), pays('during', 12), pays('back', 15)], [restart]).results);
    expect(r['open']).toMatchObject({ closedAt: 10, closedReason: 'ztunnel-restarting' });
    expect(r['during']).toMatchObject({ verdict: 'deny', reason: 'ztunnel-restarting' });
    expect(r['during']?.steps.at(-1)).toMatchObject({ at: 'destination-ztunnel node-2', code: 'ztunnel-restarting', detail: { node: 'node-2' } });
    expect(r['back']?.verdict).toBe('allow');
  });

  it('refuses at the source ztunnel when the client\'s node restarts, before anything else on the path', () => {
    const restart: TimelineEntry = { kind: 'ztunnelRestart', at: 10, node: 'node-1', for: 5, source: at };
    const r = byId(run(l4, [pays('during', 12)], [restart]).results);
    expect(r['during']?.steps).toEqual([{ at: 'source-ztunnel node-1', code: 'ztunnel-restarting', effect: 'deny', detail: { node: 'node-1' } }]);
  });

  it('keeps a restarted ztunnel not ready while istiod is unreachable (istio/ztunnel src/xds/client.rs block_ready)', () => {
    const restart: TimelineEntry = { kind: 'ztunnelRestart', at: 10, node: 'node-2', for: 5, source: at };
    const outage: TimelineEntry = { kind: 'istiodUnreachable', at: 0, for: 30, source: at };
    const r = byId(run(l4, [pays('still-down', 20), pays('ready', 31)], [outage, restart]).results);
    expect([r['still-down']?.reason, r['ready']?.verdict]).toEqual(['ztunnel-restarting', 'allow']);
  });

  it('warns about a waypoint or node the cluster does not have, with the entry\'s file and line', () => {
    const report = run(l4, [pays('a', 1)], [{ kind: 'waypointDown', at: 0, waypoint: 'payments/nope', source: { ...at, line: 7 } }, { kind: 'ztunnelRestart', at: 0, node: 'node-9', for: 1, source: { ...at, line: 9 } }]);
    expect(report.diagnostics.filter((d) => d.code === 'timeline-target-missing').map((d) => d.message)).toEqual([
      'timeline.yaml:7: waypointDown: there is no waypoint Gateway payments/nope at 0 s; the fault changes nothing',
      'timeline.yaml:9: ztunnelRestart: there is no node node-9; the fault changes nothing',
    ]);
  });
});

describe('simulateTimeline(): phases', () => {
  it('names the phase in force on each result and counts each phase\'s flows', () => {
    const phase = (time: number, name: string): TimelineEntry => ({ kind: 'phase', at: time, name, source: at });
    const report = run(l4, [pays('one', 1), pays('two', 10), pays('three', 11)], [phase(0, 'L4'), phase(10, 'tightened'), configure(10, denyCheckout)]);
    expect(report.results.map((r) => r.phase)).toEqual(['L4', 'tightened', 'tightened']);
    expect(report.phases).toEqual([
      { name: 'L4', start: 0, end: 10, flows: 1, allowed: 1, denied: 0, unencrypted: 0, closed: 0 },
      { name: 'tightened', start: 10, end: null, flows: 2, allowed: 0, denied: 2, unencrypted: 0, closed: 0 },
    ]);
  });
});
