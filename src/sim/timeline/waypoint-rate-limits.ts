import type { Cluster } from '../../model/cluster.js';
import type { Flow } from '../../model/flow.js';
import type { ProxyRateLimit } from '../../model/rate-limit.js';
import type { FlowResult } from '../../model/result.js';
import { rateLimitedStep } from '../rate-limit/rate-limit-step.js';
import { RateLimiterTable } from '../rate-limit/rate-limiter-table.js';
import type { CrossedComponents } from './crossed-components.js';

/** A request the timeline feeds to the buckets: its flow, input slot, decided result and path. */
export interface LimitedRequest {
  readonly flow: Flow;
  readonly slot: number;
  readonly result: FlowResult;
  readonly crossed: CrossedComponents;
}

/**
 * The local rate limits of the waypoints, fed by the HTTP requests in time order (one request per
 * HTTP flow). A waypoint applies a limit on `main_internal`, the listener of the application's
 * requests; the one HBONE CONNECT per tunnel on `connect_terminate` is not counted, nor limits bound
 * to one named filter chain. Each waypoint is one replica with one bucket per filter in each of its
 * filter chains, one chain per destination port (Envoy's `FilterConfig` owns its limiter), or one per downstream connection (each flow) for
 * `local_rate_limit_per_downstream_connection`. Sidecars' limits are not fed.
 */
export class WaypointRateLimits {
  private readonly table = new RateLimiterTable();

  /**
   * The result after the limits of the waypoints the request passed, under `limits` (the version
   * the waypoints enforce, received at `receivedAt`): a 429 from the first bucket without a token
   * whose limit is enforced; undefined when no limit refused it.
   */
  admit(request: LimitedRequest, cluster: Cluster, limits: readonly ProxyRateLimit[], receivedAt: number): FlowResult | undefined {
    if (request.flow.protocol !== 'http') return undefined;
    for (const { waypoint } of request.crossed.waypoints) {
      const at = limits.filter((l) => l.proxyKind === 'waypoint' && `${l.proxy.namespace}/${l.proxy.name}` === waypoint && l.listeners.includes('main_internal') && l.filterChainName === undefined);
      if (at.length === 0) continue;
      const deniedHere = request.result.steps.some((s) => s.at === `waypoint ${waypoint}` && s.effect === 'deny');
      // Before authorization: the filter is first in the chain, so requests the waypoint's RBAC would deny take a token too.
      // Each one inserted at the beginning, so the last applied is the first in the chain (listener_patch.go `patchHTTPFilter`).
      const first = at.filter((l) => beforeAuthorization(cluster, l)).reverse();
      const later = deniedHere ? [] : at.filter((l) => !beforeAuthorization(cluster, l));
      for (const limit of [...first, ...later]) {
        const refused = this.feed(request, limit, receivedAt, waypoint);
        if (refused) return refused;
      }
    }
    return undefined;
  }

  private feed(request: LimitedRequest, limit: ProxyRateLimit, receivedAt: number, waypoint: string): FlowResult | undefined {
    // One filter chain per destination port of the waypoint, each with its own HTTP connection manager
    // and so its own FilterConfig and bucket (istio/istio pilot/pkg/networking/core/listener_waypoint.go
    // `buildWaypointInternal`: a chain per service port): the bucket is the chain's, by the destination
    // the request was sent to (a Service port, else a workload's).
    const chain = request.result.destination;
    const shared = `${waypoint}|${chain}|${limit.envoyFilter.namespace}/${limit.envoyFilter.name}|${limit.patchIndex}`;
    const key = limit.config.perConnection ? `${shared}|${request.slot}` : shared;
    const time = request.flow.time;
    const admission = this.table.admit(key, limit.config, time, limit.config.perConnection ? time : Math.min(receivedAt, time));
    if (admission.outcome !== 'rate-limited') return undefined;
    return rateLimitedResult(request.result, waypoint, rateLimitedStep(limit, admission));
  }
}

/**
 * True when the patch puts the filter ahead of the waypoint's authorization filters: INSERT_FIRST, or
 * INSERT_BEFORE without a subFilter, which istiod inserts at the beginning of the HTTP filters
 * (istio/istio pilot/pkg/networking/core/envoyfilter/listener_patch.go `patchHTTPFilter`: "insert
 * before without a filter match is same as insert in the beginning"). INSERT_BEFORE the router puts it
 * after them.
 */
function beforeAuthorization(cluster: Cluster, limit: ProxyRateLimit): boolean {
  const ef = (cluster.envoyFilters ?? []).find((e) => e.meta.ref.namespace === limit.envoyFilter.namespace && e.meta.ref.name === limit.envoyFilter.name);
  const patch = ef?.configPatches.find((p) => p.index === limit.patchIndex);
  return patch?.operation === 'INSERT_FIRST' || (patch?.operation === 'INSERT_BEFORE' && patch.listener?.subFilterName === undefined);
}

/**
 * The waypoint's local reply (429 unless configured): the request reached the waypoint over the hops
 * up to it, the waypoint answered, nothing went further.
 */
function rateLimitedResult(result: FlowResult, waypoint: string, step: ReturnType<typeof rateLimitedStep>): FlowResult {
  const atWaypoint = result.steps.findIndex((s) => s.at === `waypoint ${waypoint}`);
  const routed = result.steps.findIndex((s) => s.code === 'routed-via-waypoint' && s.detail?.['waypoint'] === waypoint);
  const cut = atWaypoint >= 0 ? atWaypoint : routed + 1;
  const toWaypoint = result.hops.findIndex((h) => h.to === waypoint);
  const hops = toWaypoint >= 0 ? result.hops.slice(0, toWaypoint + 1) : [];
  return {
    ...result, verdict: 'deny', encrypted: hops.length > 0 && hops.every((h) => h.transport !== 'plaintext'),
    decidedBy: { component: 'waypoint', name: waypoint }, policy: step.policy ?? null, rule: null, reason: 'rate-limited',
    hops, steps: [...result.steps.slice(0, cut), step],
  };
}
