import type { TokenBucketConfig } from '../../model/rate-limit.js';

/** What one request did to a bucket, for the explanation. Times in simulated seconds. */
export interface BucketState {
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  /** When the bucket next holds a whole token (the request's own time when it still does). */
  readonly nextTokenAt: number;
}

export interface TokenBucket {
  /** Takes one token at `time` if there is a whole one; times must not decrease. */
  consume(time: number): { readonly allowed: boolean; readonly state: BucketState };
}

/**
 * How a bucket refills. `continuous` is Envoy's `AtomicTokenBucketImpl`, which the local rate limit
 * has used since Envoy 1.31 (runtime guard `envoy.reloadable_features.no_timer_based_rate_limit_token_bucket`,
 * default true, its timer path later removed): tokens accrue at `tokens_per_fill / fill_interval` per
 * second, computed when the bucket is used. `timer` is the older `TimerTokenBucket`: `tokens_per_fill`
 * whole tokens added at each `fill_interval` tick after the bucket was created
 * (source/extensions/filters/common/local_ratelimit/local_ratelimit_impl.cc).
 */
export type RefillMode = 'continuous' | 'timer';

/** A bucket created full at `createdAt` (both Envoy buckets start with `max_tokens`). */
export function createTokenBucket(config: TokenBucketConfig, createdAt: number, mode: RefillMode): TokenBucket {
  return mode === 'timer' ? new TimerBucket(config, createdAt) : new ContinuousBucket(config, createdAt);
}

/** token_bucket_impl.cc `kMinFillRate`: one token a year. */
const MIN_FILL_RATE = 1 / (365 * 24 * 60 * 60);

/**
 * envoyproxy/envoy source/common/common/token_bucket_impl.cc `AtomicTokenBucketImpl`: tokens at `now`
 * are `min(max, (now - time) * fill_rate)`; consuming one moves the time on by `1 / fill_rate`; created
 * with `init_fill`, so full. Envoy keeps the state as that one time; this keeps the equivalent token
 * count at the last use (`tokens = (last - time) * fill_rate`), so a burst at one instant subtracts
 * whole tokens exactly instead of accumulating rounding.
 */
class ContinuousBucket implements TokenBucket {
  private readonly rate: number;
  private tokens: number;
  private last: number;

  constructor(private readonly config: TokenBucketConfig, createdAt: number) {
    // token_bucket_impl.cc: `fill_rate_(std::max(std::abs(fill_rate), kMinFillRate))`.
    this.rate = Math.max(config.tokensPerFill / config.fillInterval, MIN_FILL_RATE);
    this.tokens = config.maxTokens;
    this.last = createdAt;
  }

  consume(now: number): { allowed: boolean; state: BucketState } {
    checkOrder(this.last, now);
    const tokens = Math.min(this.config.maxTokens, this.tokens + (now - this.last) * this.rate);
    this.last = now;
    this.tokens = tokens;
    if (tokens < 1) {
      const nextTokenAt = this.config.maxTokens >= 1 ? now + (1 - tokens) / this.rate : Infinity;
      return { allowed: false, state: { tokensBefore: tokens, tokensAfter: tokens, nextTokenAt } };
    }
    this.tokens = tokens - 1;
    const nextTokenAt = this.tokens >= 1 ? now : now + (1 - this.tokens) / this.rate;
    return { allowed: true, state: { tokensBefore: tokens, tokensAfter: this.tokens, nextTokenAt } };
  }
}

/**
 * The timer bucket (`TimerTokenBucket::onFillTimer`, `consume`): whole tokens; at each tick
 * `tokens = min(max, tokens + tokens_per_fill)`; a request takes one if any is left. A tick due at the
 * request's own instant has fired before it (upstream leaves that order to the event loop).
 */
class TimerBucket implements TokenBucket {
  private tokens: number;
  private ticks = 0;
  private last: number;

  constructor(private readonly config: TokenBucketConfig, private readonly createdAt: number) {
    this.tokens = config.maxTokens;
    this.last = createdAt;
  }

  consume(now: number): { allowed: boolean; state: BucketState } {
    checkOrder(this.last, now);
    this.last = now;
    const due = Math.floor((now - this.createdAt) / this.config.fillInterval);
    if (due > this.ticks) {
      this.tokens = Math.min(this.config.maxTokens, this.tokens + (due - this.ticks) * this.config.tokensPerFill);
      this.ticks = due;
    }
    const nextTick = this.createdAt + (this.ticks + 1) * this.config.fillInterval;
    const before = this.tokens;
    if (before === 0) return { allowed: false, state: { tokensBefore: 0, tokensAfter: 0, nextTokenAt: this.config.tokensPerFill > 0 && this.config.maxTokens > 0 ? nextTick : Infinity } };
    this.tokens = before - 1;
    return { allowed: true, state: { tokensBefore: before, tokensAfter: this.tokens, nextTokenAt: this.tokens > 0 ? now : nextTick } };
  }
}

function checkOrder(last: number, now: number): void {
  if (now < last) throw new RangeError(`token bucket fed out of time order: ${now} after ${last}`);
}
