import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certificateTimeline } from '../../../src/sim/certificates/certificate-timeline.js';
import { certificateValidAt } from '../../../src/sim/certificates/certificate-valid-at.js';
import { windowAt, mergeWindows, type TimeWindow } from '../../../src/sim/certificates/istiod-windows.js';
import { ISTIO_AGENT_RENEWAL, ZTUNNEL_MAX_RETRY_DELAY, ZTUNNEL_RENEWAL } from '../../../src/sim/certificates/renewal-profile.js';

const DAY = 86_400;
const HORIZON = 4 * DAY;
const window = fc.tuple(fc.integer({ min: 0, max: HORIZON }), fc.integer({ min: 1, max: 2 * DAY }))
  .map(([from, len]): TimeWindow => ({ from, until: from + len }));
const windows = fc.array(window, { maxLength: 5 });
const profile = fc.constantFrom(ZTUNNEL_RENEWAL, ISTIO_AGENT_RENEWAL);
const probe = fc.integer({ min: 0, max: HORIZON - 1 });

describe('certificate timelines over random istiod outages (properties)', () => {
  it('issues certificates only while istiod is reachable', () => {
    fc.assert(fc.property(windows, profile, (ws, p) => {
      const merged = mergeWindows(ws);
      const t = certificateTimeline({ requestedAt: 0, horizon: HORIZON, unreachable: ws, profile: p });
      for (const c of t.certificates) expect(windowAt(merged, c.issuedAt)).toBeUndefined();
      for (const a of t.attempts) expect(a.ok).toBe(windowAt(merged, a.at) === undefined);
    }));
  });

  it('without outages a certificate is valid at every instant from the first request on', () => {
    fc.assert(fc.property(profile, probe, (p, at) => {
      const t = certificateTimeline({ requestedAt: 0, horizon: HORIZON, profile: p });
      expect(certificateValidAt(t, at).valid).toBe(true);
    }));
  });

  it('a missing certificate always lies in an outage or within one retry interval after it', () => {
    fc.assert(fc.property(windows, probe, (ws, at) => {
      const merged = mergeWindows(ws);
      const t = certificateTimeline({ requestedAt: 0, horizon: HORIZON, unreachable: ws });
      if (certificateValidAt(t, at).valid) return;
      expect(merged.some((w) => w.from <= at && at < w.until + ZTUNNEL_MAX_RETRY_DELAY)).toBe(true);
    }));
  });

  it('one outage shorter than half the lifetime minus a retry interval never lets the certificate lapse', () => {
    const short = fc.tuple(fc.integer({ min: 1, max: HORIZON }), fc.integer({ min: 1, max: DAY / 2 + 60 - ZTUNNEL_MAX_RETRY_DELAY - 1 }));
    fc.assert(fc.property(short, probe, ([from, len], at) => {
      const t = certificateTimeline({ requestedAt: 0, horizon: HORIZON, unreachable: [{ from, until: from + len }] });
      expect(certificateValidAt(t, at).valid).toBe(true);
    }));
  });

  it('an outage covering a whole renewal-to-expiry span leaves the workload without a certificate at the expiry', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: DAY }), fc.integer({ min: 0, max: DAY }), (start, extra) => {
      const t0 = certificateTimeline({ requestedAt: 0, horizon: HORIZON });
      const held = t0.certificates.find((c) => c.issuedAt <= start && start < c.heldUntil)!;
      const t = certificateTimeline({ requestedAt: 0, horizon: HORIZON, unreachable: [{ from: held.renewAt, until: held.notAfter + 1 + extra }] });
      expect(certificateValidAt(t, held.notAfter)).toMatchObject({ valid: false, why: 'expired', certificate: { issuedAt: held.issuedAt } });
      expect(certificateValidAt(t, held.notAfter - 1).valid).toBe(true);
    }));
  });

  it('reports the last attempt at or before the probe and the next one after it', () => {
    fc.assert(fc.property(windows, probe, (ws, at) => {
      const t = certificateTimeline({ requestedAt: 0, horizon: HORIZON, unreachable: ws });
      const s = certificateValidAt(t, at);
      const before = t.attempts.filter((a) => a.at <= at);
      expect(s.lastAttempt).toEqual(before.at(-1) ?? null);
      expect(s.nextAttempt).toBe(t.attempts[before.length]?.at ?? null);
    }));
  });
});
