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
  /**
   * Which HTTP connection managers get the filter. A waypoint has two listeners with one: `main_internal`
   * (one filter chain per service port and one for pod-addressed traffic: the application's requests)
   * and `connect_terminate` (port 15008: one HBONE CONNECT request per tunnelled connection)
   * (istio/istio pilot/pkg/networking/core/listener_waypoint.go `buildWaypointInbound`). A sidecar's are
   * its inbound or outbound listeners.
   */
  readonly listeners: readonly ('main_internal' | 'connect_terminate' | 'sidecar_inbound' | 'sidecar_outbound')[];
  /** A sidecar inbound filter chain's port, when the patch matched one. */
  readonly portNumber?: number;
  /** Only the filter chain of this name, when the patch names one. */
  readonly filterChainName?: string;
  readonly config: LocalRateLimitConfig;
}
