import type { PolicyTargetReference } from './policy.js';
import type { LocalRateLimitConfig } from './rate-limit.js';

/** `EnvoyFilter.PatchContext` (istio/api networking/v1alpha3/envoy_filter.proto). */
export type EnvoyFilterContext = 'ANY' | 'SIDECAR_INBOUND' | 'SIDECAR_OUTBOUND' | 'GATEWAY' | 'WAYPOINT';

/** `EnvoyFilter.ApplyTo`. */
export type EnvoyFilterApplyTo =
  | 'LISTENER' | 'FILTER_CHAIN' | 'NETWORK_FILTER' | 'HTTP_FILTER' | 'ROUTE_CONFIGURATION' | 'VIRTUAL_HOST'
  | 'HTTP_ROUTE' | 'CLUSTER' | 'EXTENSION_CONFIG' | 'BOOTSTRAP' | 'LISTENER_FILTER';

/** `EnvoyFilter.Patch.Operation`. */
export type EnvoyFilterOperation =
  | 'MERGE' | 'ADD' | 'REMOVE' | 'INSERT_BEFORE' | 'INSERT_AFTER' | 'INSERT_FIRST' | 'REPLACE' | 'MERGE_AND_REPLACE_LIST';

/** `EnvoyFilter.ListenerMatch`, the parts the simulator reads. */
export interface EnvoyFilterListenerMatch {
  readonly portNumber?: number;
  readonly name?: string;
  readonly filterChainName?: string;
  readonly filterName?: string;
  readonly subFilterName?: string;
}

/**
 * The local rate limit a patch inserts, read from its `typed_config` (direct or `TypedStruct`), or the
 * reason the simulator does not model it.
 */
export type PatchRateLimit =
  | { readonly kind: 'limit'; readonly config: LocalRateLimitConfig }
  | { readonly kind: 'unmodelled'; readonly why: string };

export interface EnvoyFilterPatch {
  readonly index: number;
  readonly applyTo: EnvoyFilterApplyTo;
  readonly context: EnvoyFilterContext;
  readonly listener?: EnvoyFilterListenerMatch;
  /** A `match.proxy` (proxyVersion or metadata) is present. */
  readonly proxyMatch: boolean;
  readonly operation: EnvoyFilterOperation;
  /** The `name` of the patch value, for filter patches. */
  readonly filterName?: string;
  /** Present when the patch value is an `envoy.filters.http.local_ratelimit` filter. */
  readonly rateLimit?: PatchRateLimit;
  /** 1-based line of the patch in its file. */
  readonly line: number;
}

/** The spec of a `networking.istio.io/v1alpha3` EnvoyFilter: the parts that decide where it applies, and its rate limits. */
export interface EnvoyFilterSpec {
  readonly workloadSelector?: Readonly<Record<string, string>>;
  readonly targetRefs?: readonly PolicyTargetReference[];
  readonly priority: number;
  readonly configPatches: readonly EnvoyFilterPatch[];
}
