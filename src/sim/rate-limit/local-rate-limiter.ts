import type { LocalRateLimitConfig } from '../../model/rate-limit.js';
import { fractionOn, seededDraw } from './fractional-percent.js';
import { createTokenBucket, type BucketState, type RefillMode, type TokenBucket } from './token-bucket.js';

/**
 * What the filter did with one request (envoyproxy/envoy
 * source/extensions/filters/http/local_ratelimit/local_ratelimit.cc `Filter::decodeHeaders`):
 * - `not-enabled`: `filter_enabled` is off for it; no token is taken.
 * - `allowed`: a token was taken.
 * - `rate-limited`: no token and `filter_enforced` is on: a local reply with `status` (429 unless
 *   configured), body `local_rate_limited` and the configured response headers.
 * - `limited-not-enforced`: no token but not enforced: the request goes on (stat `rate_limited` only).
 */
export type Admission =
  | { readonly outcome: 'not-enabled'; readonly time: number }
  | { readonly outcome: 'allowed'; readonly time: number; readonly bucket: BucketExplanation }
  | {
    readonly outcome: 'rate-limited'; readonly time: number; readonly bucket: BucketExplanation;
    readonly status: number; readonly responseHeaders: LocalRateLimitConfig['responseHeaders'];
  }
  | { readonly outcome: 'limited-not-enforced'; readonly time: number; readonly bucket: BucketExplanation };

/** The bucket's state around a request, with its configuration, for the explanation. */
export interface BucketExplanation extends BucketState {
  readonly maxTokens: number;
  readonly tokensPerFill: number;
  readonly fillInterval: number;
  readonly refill: RefillMode;
}

export interface LimiterOptions {
  /** When the proxy received this filter configuration: the bucket starts full then. */
  readonly createdAt: number;
  /** Default `continuous`, the bucket of every Envoy since 1.31 (see `RefillMode`). */
  readonly refill?: RefillMode;
  /** Seed of the draws for `filter_enabled` / `filter_enforced` shares strictly between 0 and 100 %. */
  readonly seed?: number;
}

/**
 * One local rate limit filter instance: its bucket, fed by requests in time order. Envoy builds one
 * bucket per filter configuration (`FilterConfig` owns its `LocalRateLimiterImpl`), so the caller keeps
 * one limiter per proxy replica and filter chain (and per downstream connection when `perConnection`).
 */
export class LocalRateLimiter {
  private readonly bucket: TokenBucket;
  private readonly draw: () => number;
  private readonly refill: RefillMode;

  constructor(readonly config: LocalRateLimitConfig, options: LimiterOptions) {
    this.refill = options.refill ?? 'continuous';
    this.bucket = createTokenBucket(config.tokenBucket, options.createdAt, this.refill);
    this.draw = seededDraw(options.seed ?? 1);
  }

  /** Decides the request at `time` (seconds, non-decreasing across calls). */
  admit(time: number): Admission {
    if (!fractionOn(this.config.filterEnabled, this.draw)) return { outcome: 'not-enabled', time };
    const { allowed, state } = this.bucket.consume(time);
    const { maxTokens, tokensPerFill, fillInterval } = this.config.tokenBucket;
    const bucket: BucketExplanation = { ...state, maxTokens, tokensPerFill, fillInterval, refill: this.refill };
    if (allowed) return { outcome: 'allowed', time, bucket };
    if (!fractionOn(this.config.filterEnforced, this.draw)) return { outcome: 'limited-not-enforced', time, bucket };
    return { outcome: 'rate-limited', time, bucket, status: this.config.status, responseHeaders: this.config.responseHeaders };
  }
}
