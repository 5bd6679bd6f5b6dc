import type { ObjectRef } from './source.js';

/**
 * Envoy's `type.v3.FractionalPercent` as a `RuntimeFractionalPercent.default_value`: the share of
 * requests for which a feature is on (`numerator / denominator`).
 */
export interface FractionalPercent {
  readonly numerator: number;
  readonly denominator: 100 | 10_000 | 1_000_000;
}

/** Envoy `type.v3.TokenBucket`; `fillInterval` in seconds. */
export interface TokenBucketConfig {
  readonly maxTokens: number;
  readonly tokensPerFill: number;
  readonly fillInterval: number;
}

/**
 * One `envoy.filters.http.local_ratelimit` filter as a proxy runs it (envoyproxy/envoy
 * source/extensions/filters/http/local_ratelimit/local_ratelimit.cc `FilterConfig`): a missing
 * `filter_enabled` or `filter_enforced` is null and means 0 % (`FilterConfig::enabled`/`enforced`).
 */
export interface LocalRateLimitConfig {
  readonly statPrefix: string;
  readonly tokenBucket: TokenBucketConfig;
  readonly filterEnabled: FractionalPercent | null;
  readonly filterEnforced: FractionalPercent | null;
  /** HTTP status of a rejected request: `status.code` when >= 400, else 429 (`toErrorCode`). */
  readonly status: number;
  readonly responseHeaders: readonly { readonly key: string; readonly value: string }[];
  /** `local_rate_limit_per_downstream_connection`: one bucket per downstream connection. */
  readonly perConnection: boolean;
}

/** A limiter compiled for one proxy, with the EnvoyFilter and patch it came from. */
export interface ProxyRateLimit {
  /** The proxy: a waypoint Gateway (`Gateway` ref) or a sidecar workload (`Pod` ref). */
  readonly proxy: ObjectRef;
  readonly proxyKind: 'waypoint' | 'sidecar';
  readonly envoyFilter: ObjectRef;
  readonly patchIndex: number;
  readonly config: LocalRateLimitConfig;
}
