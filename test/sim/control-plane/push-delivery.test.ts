import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveredAt, disconnectedWindows, versionInForce, ztunnelReconnectAt } from '../../../src/sim/control-plane/push-delivery.js';

describe('configuration pushes while istiod is unreachable (istio/ztunnel src/xds/client.rs)', () => {
  it('ztunnel reconnects on its backoff: 20 ms, 40 ms ... then every 15 s (INITIAL_BACKOFF 10 ms, MAX_BACKOFF 15 s)', () => {
    // 0.02 + 0.04 + ... + 10.24 = 20.46 s of doubling sleeps, then 15 s steps.
    expect(ztunnelReconnectAt({ from: 0, until: 0.05 })).toBeCloseTo(0.06, 9);
    expect(ztunnelReconnectAt({ from: 0, until: 20 })).toBeCloseTo(20.46, 9);
    expect(ztunnelReconnectAt({ from: 100, until: 200 })).toBeCloseTo(100 + 20.46 + 15 * 6, 9);
  });

  it('a component keeps enforcing its version during the outage and gets only the latest one on reconnect', () => {
    const published = [{ version: 1, at: 0 }, { version: 2, at: 600 }, { version: 3, at: 700 }, { version: 4, at: 2000 }];
    const input = { component: 'envoy' as const, unreachable: [{ from: 500, until: 1000 }] };
    expect(versionInForce(published, 599, input)).toBe(1);
    expect(versionInForce(published, 999, input)).toBe(1);
    expect(versionInForce(published, 1000, input)).toBe(3);
    expect(versionInForce(published, 2000, input)).toBe(4);
  });

  it('pushDelay shifts every delivery (settings.pushDelay)', () => {
    const input = { component: 'ztunnel' as const, pushDelay: 2 };
    expect(versionInForce([{ version: 'a', at: 10 }], 11.9, input)).toBeNull();
    expect(versionInForce([{ version: 'a', at: 10 }], 12, input)).toBe('a');
  });

  it('an outage that never ends delivers nothing after it starts', () => {
    const d = disconnectedWindows({ component: 'ztunnel', unreachable: [{ from: 5, until: Infinity }] });
    expect(deliveredAt(6, d)).toBe(Infinity);
  });

  it('delivery never precedes publication, never falls in a disconnection, and keeps publication order (property)', () => {
    const win = fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 5000 })).map(([from, len]) => ({ from, until: from + len }));
    fc.assert(fc.property(fc.array(win, { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 2, maxLength: 20 }), fc.constantFrom('ztunnel' as const, 'envoy' as const), (ws, times, component) => {
      const d = disconnectedWindows({ component, unreachable: ws });
      const sorted = [...times].sort((a, b) => a - b);
      const delivered = sorted.map((t) => deliveredAt(t, d));
      delivered.forEach((at, i) => {
        expect(at).toBeGreaterThanOrEqual(sorted[i]!);
        expect(d.some((w) => w.from <= at && at < w.until)).toBe(false);
        if (i > 0) expect(at).toBeGreaterThanOrEqual(delivered[i - 1]!);
      });
    }));
  });
});
