import { describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../../src/files.js';
import type { Flow } from '../../../src/model/flow.js';
import type { TimelineEntry } from '../../../src/model/timeline.js';
import { renderLoadText } from '../../../src/report/timeline-text.js';
import { makeStyle } from '../../../src/report/style.js';

const plainStyle = makeStyle(false);
import { simulateTimeline } from '../../../src/sim/timeline/simulate-timeline.js';

const demo = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
const at = { file: 'timeline.yaml', document: 0, line: 1 };
const pays = (id: string, time: number, extra: Partial<Flow> = {}): Flow => ({
  id, source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 80 }, protocol: 'http',
  http: { method: 'POST', path: '/api/v1/payments', headers: {} }, time, ...extra,
});

describe('simulateTimeline(): each component\'s load over time, in windows of 60 s (issue: per-component load over time)', () => {
  const flows = [pays('a', 1), pays('open', 2, { duration: 100 }), pays('b', 30), pays('during', 70), pays('after', 130), pays('late', 190)];
  const entries: TimelineEntry[] = [
    { kind: 'waypointDown', at: 60, waypoint: 'fintech-core/payments-waypoint', source: at },
    { kind: 'waypointUp', at: 120, waypoint: 'fintech-core/payments-waypoint', source: at },
  ];
  const report = simulateTimeline(demo, flows, { entries, settings: { pushDelay: 0 } });
  const byKey = Object.fromEntries(report.load.map((c) => [`${c.kind}/${c.component}`, c.windows]));

  it('counts the connections and requests that reached the waypoint and the destination ztunnel, per window', () => {
    const waypoint = byKey['waypoint/fintech-core/payments-waypoint'];
    const ztunnel = byKey['ztunnel/node-c'];
    expect(waypoint?.map((w) => [w.start, w.connections, w.requests])).toEqual([[0, 3, 3], [60, 0, 0], [120, 1, 1], [180, 1, 1]]);
    expect(ztunnel?.map((w) => [w.start, w.connections])).toEqual([[0, 3], [60, 0], [120, 1], [180, 1]]);
    // The source ztunnel refused the flow during the outage (the waypoint had no ready endpoint): it reached neither.
    expect(report.results.find((r) => r.id === 'during')?.reason).toBe('waypoint-unavailable');
  });

  it('keeps the most connections open at once: the long connection until the waypoint went down and closed it', () => {
    const waypoint = byKey['waypoint/fintech-core/payments-waypoint'];
    expect(waypoint?.map((w) => w.peakOpen)).toEqual([1, 1, 0, 0]);
    expect(report.results.find((r) => r.id === 'open')).toMatchObject({ closedAt: 60, closedReason: 'waypoint-unavailable' });
  });

  it('counts what a component denied there: a request the waypoint\'s policy denies', () => {
    const denied = simulateTimeline(demo, [pays('get', 5, { http: { method: 'DELETE', path: '/admin', headers: {} } })], { entries: [], settings: { pushDelay: 0 } });
    const r = denied.results[0];
    const waypoint = denied.load.find((c) => c.kind === 'waypoint')?.windows[0];
    expect(r).toMatchObject({ verdict: 'deny', decidedBy: { component: 'waypoint', name: 'fintech-core/payments-waypoint' } });
    expect(waypoint).toEqual({ start: 0, connections: 1, requests: 1, denials: 1, peakOpen: 0 });
    // Denied at the waypoint, it never reached the destination ztunnel.
    expect(denied.load.some((c) => c.kind === 'ztunnel')).toBe(false);
  });

  it('is written as text with the component names escaped', () => {
    const text = renderLoadText(report.load, plainStyle).join('\n');
    expect(text).toContain('Load over time (windows of 60 s)');
    expect(text).toContain('waypoint fintech-core/payments-waypoint');
    expect(text).toMatch(/\n\s+0 s {2}3 connections, 3 requests, 0 denied, at most 1 open/);
    const hostile = renderLoadText([{ component: 'ns/a\u001b[31mred\nline', kind: 'waypoint', windows: [] }], plainStyle).join('\n');
    expect(hostile).not.toContain('\u001b');
    expect(hostile.split('\n')).toHaveLength(2);
  });
});
