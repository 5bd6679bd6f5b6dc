import { mergeWindows, windowAt, type TimeWindow } from '../certificates/istiod-windows.js';

/**
 * When configuration that istiod publishes reaches a component, and which version it enforces, while
 * istiod may be unreachable.
 *
 * - Components keep what they have. ztunnel's xDS client keeps every resource it knows across a broken
 *   stream and reconnects with a backoff (istio/ztunnel src/xds/client.rs `run_loop`: connection
 *   errors double the delay from `INITIAL_BACKOFF` 10 ms, sleeping 20 ms, 40 ms, ... up to
 *   `MAX_BACKOFF` 15 s); on reconnect it sends the versions it holds (`initial_resource_versions`) and
 *   istiod sends what changed, so it jumps to the current configuration and never sees the versions
 *   published meanwhile. Envoy (waypoints, sidecars) likewise keeps its last accepted listeners and
 *   clusters while its xDS stream is down.
 * - ZDS is not istiod: ztunnel learns the pods of its node from the istio-cni node agent over a local
 *   socket (istio/ztunnel proto/zds.proto `AddWorkload` with `WorkloadInfo`), so pods still come and
 *   go on a node during an outage; what they cannot get is a certificate (istiod is the CA) or the
 *   mesh's xDS view of them.
 *
 * Not settled upstream, and so modelled plainly: a failed connection attempt is taken to fail at once
 * (an unreachable istiod that blackholes packets makes each attempt wait for a timeout instead), and
 * Envoy's own reconnect backoff is not modelled (an Envoy proxy reconnects as istiod returns).
 */
export interface PushDeliveryInput {
  /** Seconds between publishing a version and pushing it (`settings.pushDelay`, default 0). */
  readonly pushDelay?: number;
  readonly unreachable?: readonly TimeWindow[];
  readonly component: 'ztunnel' | 'envoy';
}

/** ztunnel src/xds/client.rs `INITIAL_BACKOFF` and `MAX_BACKOFF`, in seconds. */
export const ZTUNNEL_XDS_INITIAL_BACKOFF = 0.01;
export const ZTUNNEL_XDS_MAX_BACKOFF = 15;

/**
 * When ztunnel's xDS stream is up again after istiod was unreachable over `[from, until)`: its first
 * reconnect attempt at or after `until`, attempts spaced as `run_loop`'s backoff spaces them.
 */
export function ztunnelReconnectAt(outage: TimeWindow): number {
  let t = outage.from;
  let backoff = ZTUNNEL_XDS_INITIAL_BACKOFF;
  while (t < outage.until && backoff < ZTUNNEL_XDS_MAX_BACKOFF) {
    backoff = Math.min(ZTUNNEL_XDS_MAX_BACKOFF, backoff * 2);
    t += backoff;
  }
  if (t >= outage.until) return t;
  return t + Math.ceil((outage.until - t) / ZTUNNEL_XDS_MAX_BACKOFF) * ZTUNNEL_XDS_MAX_BACKOFF;
}

/** The windows in which a component has no xDS stream: each outage, until the component reconnects. */
export function disconnectedWindows(input: PushDeliveryInput): TimeWindow[] {
  const outages = mergeWindows(input.unreachable ?? []);
  const reconnect = (w: TimeWindow): number => (input.component === 'ztunnel' && Number.isFinite(w.until) ? ztunnelReconnectAt(w) : w.until);
  return mergeWindows(outages.map((w) => ({ from: w.from, until: reconnect(w) })));
}

/** When a version published at `publishedAt` reaches the component; Infinity if it never does. */
export function deliveredAt(publishedAt: number, disconnected: readonly TimeWindow[], pushDelay = 0): number {
  const pushed = publishedAt + pushDelay;
  return windowAt(disconnected, pushed)?.until ?? pushed;
}

/**
 * The version a component enforces at `t`: the latest one delivered by then (delivery times never
 * decrease with publication times), or null before the first arrives. `published` is in publication order.
 */
export function versionInForce<V>(published: readonly { readonly version: V; readonly at: number }[], t: number, input: PushDeliveryInput): V | null {
  const disconnected = disconnectedWindows(input);
  let current: V | null = null;
  for (const p of published) {
    if (deliveredAt(p.at, disconnected, input.pushDelay ?? 0) <= t) current = p.version;
    else break;
  }
  return current;
}
