import { describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../../src/files.js';
import type { Flow } from '../../../src/model/flow.js';
import type { FlowResult } from '../../../src/model/result.js';
import type { TimelineEntry } from '../../../src/model/timeline.js';
import { stepText } from '../../../src/report/reason-text.js';
import { simulateTimeline } from '../../../src/sim/timeline/simulate-timeline.js';

// Upstream: ztunnel requests a 24 h certificate (istio/ztunnel src/config.rs DEFAULT_TTL), renews at half
// its validity (src/tls/certificate.rs refresh_at), retries with a backoff of at most 150 s
// (src/identity/manager.rs), never hands out an expired one (get_existing_cert_info: now < not_after),
// and needs the source's certificate to open a tunnel (src/proxy/pool.rs) and the destination's to
// accept one (src/proxy/inbound.rs fetch_cert).
const at = { file: 'timeline.yaml', document: 0, line: 1 };
const demo = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
const HOUR = 3600;
const pays = (id: string, time: number): Flow => ({
  id, source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 80 }, protocol: 'http',
  http: { method: 'POST', path: '/api/v1/payments', headers: {} }, time,
});
const outage = (from: number, hours: number): TimelineEntry => ({ kind: 'istiodUnreachable', at: from, for: hours * HOUR, source: at });
const run = (flows: Flow[], entries: TimelineEntry[]) => simulateTimeline(demo, flows, { entries, settings: { pushDelay: 0 } });
const byId = (results: readonly FlowResult[]) => Object.fromEntries(results.map((r) => [r.id, r]));

describe('simulateTimeline(): istiod unreachable past the workload certificate lifetime', () => {
  it('keeps HBONE working until the certificates issued at time 0 expire at 24 h, then fails it with certificate-expired', () => {
    const r = byId(run([pays('start', 0), pays('renewal-due', 12 * HOUR), pays('last-second', 24 * HOUR - 1), pays('expired', 24 * HOUR), pays('day-two', 40 * HOUR)], [outage(0, 48)]).results);
    expect(['start', 'renewal-due', 'last-second'].map((id) => r[id]?.verdict)).toEqual(['allow', 'allow', 'allow']);
    for (const id of ['expired', 'day-two']) {
      expect(r[id]).toMatchObject({ verdict: 'deny', encrypted: false, reason: 'certificate-expired', decidedBy: { component: 'none', name: null }, hops: [] });
    }
    const step = r['expired']?.steps.at(-1);
    expect(step).toMatchObject({ at: 'source-ztunnel node-a', code: 'certificate-expired', effect: 'deny' });
    expect(step?.detail).toMatchObject({ side: 'source', identity: 'spiffe://cluster.local/ns/orders/sa/checkout-service', why: 'expired', issuedAt: 0, expiredAt: 24 * HOUR });
    expect(typeof step?.detail?.['lastAttempt']).toBe('number');
    expect(stepText(step!)).toContain('expired at 86400 s');
  });

  it('works again once istiod is back and the retry (at most 150 s later) gets a new certificate', () => {
    const r = byId(run([pays('before-recovery', 48 * HOUR - 1), pays('after-retry', 48 * HOUR + 150)], [outage(0, 48)]).results);
    expect(r['before-recovery']?.reason).toBe('certificate-expired');
    const next = r['before-recovery']?.steps.at(-1)?.detail?.['nextAttempt'];
    expect(next).toBeGreaterThan(48 * HOUR - 1);
    expect(next).toBeLessThanOrEqual(48 * HOUR + 150);
    expect(r['after-retry']?.verdict).toBe('allow');
  });

  it('counts the lifetime from the last renewal before the outage: renewed at 11 h 59 min, valid until 35 h 59 min', () => {
    const renewed = 12 * HOUR - 60;
    const r = byId(run([pays('before-expiry', renewed + 24 * HOUR - 1), pays('after-expiry', renewed + 24 * HOUR)], [outage(13 * HOUR, 48)]).results);
    expect(r['before-expiry']?.verdict).toBe('allow');
    expect(r['after-expiry']?.steps.at(-1)?.detail).toMatchObject({ why: 'expired', issuedAt: renewed, expiredAt: renewed + 24 * HOUR });
  });

  it('fails the accepting side too: the destination ztunnel\'s certificate, when the source\'s is still valid', () => {
    // node-a's ztunnel restarts at 1 h, after istiod is back, and gets a certificate then; node-c's is from time 0.
    const restart: TimelineEntry = { kind: 'ztunnelRestart', at: 2 * HOUR, node: 'node-a', for: 5, source: at };
    const r = byId(run([pays('one-side', 25 * HOUR)], [outage(0, 1), outage(3 * HOUR, 48), restart]).results);
    const step = r['one-side']?.steps.at(-1);
    expect(step).toMatchObject({ at: 'destination-ztunnel node-c', code: 'certificate-expired' });
    expect(step?.detail).toMatchObject({ side: 'destination', identity: 'spiffe://cluster.local/ns/fintech-core/sa/payment-processor', expiredAt: 24 * HOUR });
    // The destination ztunnel refused it (DESIGN.md: for a deny, decidedBy is the point that denied).
    expect(r['one-side']?.decidedBy).toEqual({ component: 'destination-ztunnel', name: 'node-c' });
  });

  it('leaves traffic without HBONE alone: plaintext to a workload outside the mesh needs no certificate', () => {
    const toLegacy: Flow = { id: 'to-legacy', source: { workload: 'orders/checkout-service' }, destination: { workload: 'legacy/reporting', port: 8080 }, protocol: 'tcp', time: 30 * HOUR };
    const [r] = run([toLegacy], [outage(0, 48)]).results;
    expect(r?.hops.map((h) => h.transport)).toEqual(['plaintext']);
    expect(r?.verdict).toBe('allow');
  });

  it('changes nothing without an istiodUnreachable: results are those of the same timeline without certificates', () => {
    const flows = [pays('a', 0), pays('b', 30 * HOUR)];
    expect(run(flows, []).results.map((x) => x.verdict)).toEqual(['allow', 'allow']);
  });
});
