import { describe, expect, it } from 'vitest';
import type { ProxyRateLimit } from '../../src/model/rate-limit.js';
import { stepText } from '../../src/report/reason-text.js';
import { certificateExpiredStep } from '../../src/sim/certificates/certificate-step.js';
import { certificateTimeline } from '../../src/sim/certificates/certificate-timeline.js';
import { certificateValidAt } from '../../src/sim/certificates/certificate-valid-at.js';
import { LocalRateLimiter } from '../../src/sim/rate-limit/local-rate-limiter.js';
import { rateLimitedStep } from '../../src/sim/rate-limit/rate-limit-step.js';

const LIMIT: ProxyRateLimit = {
  proxy: { kind: 'Gateway', namespace: 'shop', name: 'w' }, proxyKind: 'waypoint', envoyFilter: { kind: 'EnvoyFilter', namespace: 'shop', name: 'limit' },
  patchIndex: 0, listeners: ['main_internal'],
  config: {
    statPrefix: 's', tokenBucket: { maxTokens: 100, tokensPerFill: 100, fillInterval: 60 }, filterEnabled: { numerator: 100, denominator: 100 },
    filterEnforced: { numerator: 100, denominator: 100 }, status: 429, responseHeaders: [], perConnection: false,
  },
};

describe('timeline reason steps carry the component state and read as English', () => {
  it('rate-limited names the EnvoyFilter, the status and the bucket', () => {
    const l = new LocalRateLimiter(LIMIT.config, { createdAt: 0 });
    for (let i = 0; i < 100; i++) l.admit(0);
    const a = l.admit(0.3);
    if (a.outcome !== 'rate-limited') throw new Error(`expected rate-limited, got ${a.outcome}`);
    const step = rateLimitedStep(LIMIT, a);
    expect(step).toMatchObject({ at: 'waypoint shop/w', code: 'rate-limited', effect: 'deny', policy: 'shop/limit', detail: { status: 429, tokensBefore: 0.5, nextTokenAt: 0.6 } });
    expect(stepText(step)).toBe('rejected with 429 by the local rate limit of EnvoyFilter shop/limit: its token bucket (100 tokens, 100 more every 60 s) had 0.50 left; the next token is due at 0.6 s');
  });

  it('certificate-expired says which certificate, since when, and the last renewal attempt', () => {
    const t = certificateTimeline({ requestedAt: 0, horizon: 2 * 86_400, unreachable: [{ from: 3600, until: 2 * 86_400 }] });
    const s = certificateValidAt(t, 90_000);
    if (s.valid) throw new Error('expected an expired certificate');
    const step = certificateExpiredStep('destination-ztunnel node-a', 'destination', 'spiffe://cluster.local/ns/shop/sa/api', s);
    expect(step.detail).toMatchObject({ why: 'expired', expiredAt: 86_400, issuedAt: 0 });
    expect(stepText(step)).toMatch(/^HBONE failed: destination workload certificate of spiffe:\/\/cluster\.local\/ns\/shop\/sa\/api expired at 86400 s; the last request to istiod, at \d+ s, failed$/);
  });
});
