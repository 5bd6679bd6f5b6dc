import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalRateLimitConfig } from '../../../src/model/rate-limit.js';
import { LocalRateLimiter } from '../../../src/sim/rate-limit/local-rate-limiter.js';
import { RateLimiterTable } from '../../../src/sim/rate-limit/rate-limiter-table.js';
import { createTokenBucket } from '../../../src/sim/rate-limit/token-bucket.js';

/** The seed article's bucket (b21-rate-limit-filter.yaml): 100 tokens, 100 per fill, every 60 s. */
const SEED_BUCKET = { maxTokens: 100, tokensPerFill: 100, fillInterval: 60 };

const config = (over: Partial<LocalRateLimitConfig> = {}): LocalRateLimitConfig => ({
  statPrefix: 'rate_limit', tokenBucket: SEED_BUCKET,
  filterEnabled: { numerator: 100, denominator: 100 }, filterEnforced: { numerator: 100, denominator: 100 },
  status: 429, responseHeaders: [], perConnection: false, ...over,
});

const burst = (limiter: LocalRateLimiter, n: number, at: number): string[] =>
  Array.from({ length: n }, () => limiter.admit(at).outcome);

describe('the continuous bucket is Envoy AtomicTokenBucketImpl (source/common/common/token_bucket_impl.cc)', () => {
  it('starts full (init_fill): max_tokens requests pass at once, the next is limited', () => {
    const l = new LocalRateLimiter(config(), { createdAt: 0 });
    const out = burst(l, 101, 0);
    expect(out.slice(0, 100).every((o) => o === 'allowed')).toBe(true);
    expect(l.admit(0)).toMatchObject({ outcome: 'rate-limited', status: 429, bucket: { tokensBefore: 0, tokensAfter: 0, nextTokenAt: 0.6, refill: 'continuous' } });
    expect(out[100]).toBe('rate-limited');
  });

  it('refills tokens_per_fill / fill_interval per second, not in steps: one token every 0.6 s for 100 per 60 s', () => {
    const l = new LocalRateLimiter(config(), { createdAt: 0 });
    burst(l, 100, 10);
    expect(l.admit(10.5).outcome).toBe('rate-limited');
    const a = l.admit(10.6 + 1e-9);
    expect(a).toMatchObject({ outcome: 'allowed' });
    expect(l.admit(10.7).outcome).toBe('rate-limited');
    expect(burst(l, 50, 40.6 + 1e-6).filter((o) => o === 'allowed')).toHaveLength(50);
  });

  it('never holds more than max_tokens however long it idles', () => {
    const b = createTokenBucket({ maxTokens: 5, tokensPerFill: 1, fillInterval: 1 }, 0, 'continuous');
    expect(b.consume(1e6).state.tokensBefore).toBe(5);
  });

  it('a bucket filling faster than requests arrive limits nothing (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 200 }), (times) => {
      const l = new LocalRateLimiter(config({ tokenBucket: { maxTokens: 1, tokensPerFill: 1, fillInterval: 0.05 } }), { createdAt: 0 });
      const sorted = [...times].sort((x, y) => x - y).filter((t, i, s) => i === 0 || t - s[i - 1]! >= 0.0500001);
      for (const t of sorted) expect(l.admit(t).outcome).toBe('allowed');
    }));
  });

  it('admits at most max_tokens + rate x elapsed requests over any run (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { maxLength: 400 }), (times) => {
      const l = new LocalRateLimiter(config({ tokenBucket: { maxTokens: 10, tokensPerFill: 5, fillInterval: 60 } }), { createdAt: 0 });
      const sorted = [...times].sort((x, y) => x - y);
      let allowed = 0;
      for (const t of sorted) if (l.admit(t).outcome === 'allowed') allowed++;
      const end = sorted.at(-1) ?? 0;
      expect(allowed).toBeLessThanOrEqual(10 + Math.floor((end * 5) / 60) + 1e-9);
    }));
  });
});

describe('the timer bucket is Envoy TimerTokenBucket (source/extensions/filters/common/local_ratelimit/local_ratelimit_impl.cc onFillTimer)', () => {
  it('adds tokens_per_fill whole tokens at each fill_interval tick after creation, capped at max_tokens', () => {
    const l = new LocalRateLimiter(config(), { createdAt: 5, refill: 'timer' });
    burst(l, 100, 6);
    expect(l.admit(64.9)).toMatchObject({ outcome: 'rate-limited', bucket: { nextTokenAt: 65, refill: 'timer' } });
    expect(burst(l, 101, 65).filter((o) => o === 'allowed')).toHaveLength(100);
  });

  it('does not refill between ticks', () => {
    const b = createTokenBucket({ maxTokens: 2, tokensPerFill: 1, fillInterval: 10 }, 0, 'timer');
    expect([b.consume(1), b.consume(2), b.consume(9.99), b.consume(10), b.consume(10)].map((r) => r.allowed)).toEqual([true, true, false, true, false]);
  });

  it('several missed ticks add their tokens together, still capped', () => {
    const b = createTokenBucket({ maxTokens: 3, tokensPerFill: 1, fillInterval: 10 }, 0, 'timer');
    for (let i = 0; i < 3; i++) b.consume(0);
    expect(b.consume(25).state).toEqual({ tokensBefore: 2, tokensAfter: 1, nextTokenAt: 25 });
    expect(b.consume(1000).state.tokensBefore).toBe(3);
  });
});

describe('filter_enabled and filter_enforced (local_ratelimit.cc FilterConfig::enabled / enforced, Filter::decodeHeaders)', () => {
  it('an absent filter_enabled disables the filter: nothing is limited and no token is taken', () => {
    const l = new LocalRateLimiter(config({ filterEnabled: null, tokenBucket: { maxTokens: 1, tokensPerFill: 1, fillInterval: 60 } }), { createdAt: 0 });
    expect(burst(l, 5, 0)).toEqual(['not-enabled', 'not-enabled', 'not-enabled', 'not-enabled', 'not-enabled']);
  });

  it('an absent filter_enforced lets limited requests through (limited-not-enforced)', () => {
    const l = new LocalRateLimiter(config({ filterEnforced: null, tokenBucket: { maxTokens: 1, tokensPerFill: 1, fillInterval: 60 } }), { createdAt: 0 });
    expect(burst(l, 2, 0)).toEqual(['allowed', 'limited-not-enforced']);
  });

  it('a partial filter_enabled applies to about that share of requests, reproducibly', () => {
    const mk = (): LocalRateLimiter => new LocalRateLimiter(config({ filterEnabled: { numerator: 25, denominator: 100 } }), { createdAt: 0, seed: 7 });
    const a = burst(mk(), 2000, 0);
    expect(burst(mk(), 2000, 0)).toEqual(a);
    const enabled = a.filter((o) => o !== 'not-enabled').length;
    expect(enabled).toBeGreaterThan(400);
    expect(enabled).toBeLessThan(600);
  });

  it('answers with the configured status and response headers', () => {
    const l = new LocalRateLimiter(config({ status: 503, responseHeaders: [{ key: 'x-local-rate-limit', value: 'true' }], tokenBucket: { maxTokens: 0, tokensPerFill: 1, fillInterval: 1 } }), { createdAt: 0 });
    expect(l.admit(0)).toMatchObject({ outcome: 'rate-limited', status: 503, responseHeaders: [{ key: 'x-local-rate-limit', value: 'true' }], bucket: { nextTokenAt: Infinity } });
  });

  it('rejects requests fed out of time order (a caller bug)', () => {
    const l = new LocalRateLimiter(config(), { createdAt: 0 });
    l.admit(5);
    expect(() => l.admit(4)).toThrow(RangeError);
  });
});

describe('RateLimiterTable keeps one bucket per key', () => {
  it('shares a bucket within a key, not across keys, and starts afresh when the configuration changes', () => {
    const t = new RateLimiterTable();
    const one = config({ tokenBucket: { maxTokens: 1, tokensPerFill: 1, fillInterval: 60 } });
    expect(t.admit('wp-a', one, 0, 0).outcome).toBe('allowed');
    expect(t.admit('wp-a', one, 1, 0).outcome).toBe('rate-limited');
    expect(t.admit('wp-b', one, 1, 0).outcome).toBe('allowed');
    const two = config({ tokenBucket: { maxTokens: 2, tokensPerFill: 1, fillInterval: 60 } });
    expect(t.admit('wp-a', two, 2, 2).outcome).toBe('allowed');
    expect(t.size).toBe(2);
  });
});
