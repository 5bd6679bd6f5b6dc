import type { LocalRateLimitConfig } from '../../model/rate-limit.js';
import { LocalRateLimiter, type Admission } from './local-rate-limiter.js';
import type { RefillMode } from './token-bucket.js';

/**
 * The limiters of a whole simulation, one per key (proxy replica, filter chain, and downstream
 * connection for `perConnection` filters; the caller builds the key). A key whose configuration
 * changes gets a new, full bucket: Envoy builds a new `FilterConfig` when a filter chain changes, and
 * keeps unchanged filter chains with their state across listener updates (in-place filter chain
 * update). Which pushes rebuild a waypoint's filter chain is not settled here; the caller decides by
 * the configuration it passes.
 */
export class RateLimiterTable {
  private readonly limiters = new Map<string, { readonly fingerprint: string; readonly limiter: LocalRateLimiter }>();

  constructor(private readonly options: { readonly refill?: RefillMode; readonly seed?: number } = {}) {}

  /**
   * Admits a request at `time` on `key`'s limiter, created full at `createdAt` if new or changed. A
   * shared bucket exists from the moment the proxy accepts the configuration; a per-connection one is
   * made at the connection's first request (local_ratelimit.cc `getPerConnectionRateLimiter`), so pass
   * that request's time.
   */
  admit(key: string, config: LocalRateLimitConfig, time: number, createdAt: number): Admission {
    const fingerprint = JSON.stringify(config);
    let entry = this.limiters.get(key);
    if (entry === undefined || entry.fingerprint !== fingerprint) {
      const seed = (this.options.seed ?? 1) + this.limiters.size;
      entry = { fingerprint, limiter: new LocalRateLimiter(config, { createdAt, refill: this.options.refill ?? 'continuous', seed }) };
      this.limiters.set(key, entry);
    }
    return entry.limiter.admit(time);
  }

  /** Forgets a key's limiter (its proxy restarted or lost the filter). */
  forget(key: string): void {
    this.limiters.delete(key);
  }

  get size(): number {
    return this.limiters.size;
  }
}
