import type { Cluster, EnvoyFilter } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { EnvoyFilterPatch } from '../model/envoy-filter.js';
import type { Mesh, Waypoint, Workload } from '../model/mesh.js';
import type { ProxyRateLimit } from '../model/rate-limit.js';
import { selectorMatches } from '../match/labels.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const HCM = 'envoy.filters.network.http_connection_manager';
const ROUTER = 'envoy.filters.http.router';
const INSERTS: ReadonlySet<string> = new Set(['ADD', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST']);
type Listener = ProxyRateLimit['listeners'][number];

export interface CompiledRateLimits {
  /** Every limiter of every proxy, in EnvoyFilter application order (push_context.go `EnvoyFilters`). */
  readonly limits: readonly ProxyRateLimit[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Where the `envoy.filters.http.local_ratelimit` patches of the EnvoyFilters land in ambient mode, as
 * istiod decides it (istio/istio pilot/pkg/model/push_context.go `EnvoyFilters`,
 * pilot/pkg/model/policyattachment.go `ShouldAttachPolicy`, pilot/pkg/networking/core/listener_builder.go
 * `patchListeners`, pilot/pkg/networking/core/envoyfilter/listener_patch.go):
 * - ztunnel is not Envoy: no EnvoyFilter reaches it, nor ambient pods, which have no proxy of their own.
 * - A waypoint takes an EnvoyFilter only through `targetRefs`: a Gateway of its name in its namespace, or
 *   the GatewayClass `istio-waypoint` from the root namespace. Waypoints never use `workloadSelector`,
 *   and a filter with neither applies to no waypoint. A Service targetRef attaches nothing here
 *   (`EnvoyFilters` builds its matcher without services).
 * - A waypoint's listeners are patched in the SIDECAR_INBOUND context (a waypoint is not a `Router`),
 *   so SIDECAR_INBOUND and ANY patches apply; SIDECAR_OUTBOUND, GATEWAY and WAYPOINT ones apply nowhere
 *   on it (no listener is patched with the WAYPOINT context). istio/istio tests/integration/ambient
 *   baseline_test.go `TestWaypointEnvoyFilter` patches a waypoint this way.
 * - A sidecar takes filters without `targetRefs`, by `workloadSelector` (none: every workload of the
 *   namespace; in the root namespace: of the mesh), SIDECAR_INBOUND on its inbound listeners.
 */
export function compileRateLimits(cluster: Cluster, mesh: Mesh): CompiledRateLimits {
  const root = cluster.meshConfig.rootNamespace;
  const filters = [...(cluster.envoyFilters ?? [])].sort((a, b) => applicationOrder(a, b, root));
  const limits: ProxyRateLimit[] = [];
  const diagnostics: Diagnostic[] = [];
  const sidecars = mesh.workloads.filter((w) => w.enrollment === 'sidecar');
  for (const ef of filters) {
    for (const patch of ef.configPatches) {
      if (patch.rateLimit === undefined) continue;
      if (patch.rateLimit.kind === 'unmodelled') {
        diagnostics.push(note(ef, patch, 'envoy-filter-rate-limit-unmodelled', `its local_ratelimit filter is not simulated: ${patch.rateLimit.why}`));
        continue;
      }
      const placed = placements(ef, patch, mesh.waypoints, sidecars, root);
      if (typeof placed === 'string') {
        // A patch Envoy would refuse breaks the proxy's listener update: a warning, not a note.
        diagnostics.push({ ...note(ef, patch, 'envoy-filter-rate-limit-unmodelled', placed), ...(placed === AFTER_ROUTER ? { severity: 'warning' as const } : {}) });
        continue;
      }
      if (placed.length === 0) diagnostics.push(note(ef, patch, 'envoy-filter-applies-nowhere', nowhere(ef)));
      for (const p of placed) limits.push({ ...p, envoyFilter: ef.meta.ref, patchIndex: patch.index, config: patch.rateLimit.config });
    }
  }
  return { limits, diagnostics };
}

type Placement = Omit<ProxyRateLimit, 'envoyFilter' | 'patchIndex' | 'config'>;

const AFTER_ROUTER = 'it lands after envoy.filters.http.router, and Envoy rejects an HTTP filter chain whose terminal filter is not last (the proxy keeps its previous listeners)';

/** The proxies and listeners one patch inserts its filter into, or why the simulator cannot say. */
function placements(ef: EnvoyFilter, patch: EnvoyFilterPatch, waypoints: readonly Waypoint[], sidecars: readonly Workload[], root: string): Placement[] | string {
  if (!INSERTS.has(patch.operation)) return `operation ${patch.operation} does not insert a filter; only ADD, INSERT_BEFORE, INSERT_AFTER and INSERT_FIRST do`;
  const sub = patch.listener?.subFilterName;
  const relative = patch.operation === 'INSERT_BEFORE' || patch.operation === 'INSERT_AFTER';
  // listener_patch.go patchHTTPFilters: ADD, and INSERT_AFTER without a subFilter, append after the router;
  // Envoy refuses a chain whose terminal router filter is not last, so the proxy rejects the listener.
  if (patch.operation === 'ADD' || (patch.operation === 'INSERT_AFTER' && (sub === undefined || sub === ROUTER))) {
    return AFTER_ROUTER;
  }
  if (relative && sub !== undefined && sub !== ROUTER) return `it is placed relative to ${sub}, which the simulator cannot tell is in the chain`;
  if (patch.proxyMatch) return 'its match.proxy (proxy version or metadata) is not simulated';
  if (patch.listener?.filterName !== undefined && patch.listener.filterName !== HCM) return [];
  const out: Placement[] = [];
  const atWaypoint = waypointListeners(patch);
  if (atWaypoint.length > 0) {
    for (const w of waypoints) if (attachesToWaypoint(ef, w, root)) out.push(scoped({ proxy: { kind: 'Gateway', namespace: w.namespace, name: w.name }, proxyKind: 'waypoint', listeners: atWaypoint }, patch, false));
  }
  const atSidecar = sidecarListeners(patch);
  if (atSidecar.length > 0 && (ef.targetRefs ?? []).length === 0) {
    for (const s of sidecars) {
      if (!attachesToSidecar(ef, s, root)) continue;
      out.push(scoped({ proxy: { kind: 'Pod', namespace: s.namespace, name: s.name }, proxyKind: 'sidecar', listeners: atSidecar }, patch, true));
    }
  }
  return out;
}

function scoped(p: Placement, patch: EnvoyFilterPatch, sidecar: boolean): Placement {
  const port = sidecar ? patch.listener?.portNumber : undefined;
  const chain = patch.listener?.filterChainName;
  return { ...p, ...(port !== undefined ? { portNumber: port } : {}), ...(chain !== undefined ? { filterChainName: chain } : {}) };
}

/**
 * The waypoint listeners a patch matches (listener_patch.go `listenerMatch`): `main_internal` is an
 * internal listener without a socket address, so a `portNumber` matches only `connect_terminate` (15008).
 */
function waypointListeners(patch: EnvoyFilterPatch): Listener[] {
  if (patch.context !== 'SIDECAR_INBOUND' && patch.context !== 'ANY') return [];
  const m = patch.listener;
  const all: Listener[] = ['main_internal', 'connect_terminate'];
  return all.filter((l) => (m?.name === undefined || m.name === l) && (m?.portNumber === undefined || (l === 'connect_terminate' && m.portNumber === 15008)));
}

/** listener_builder.go `patchListeners`: a sidecar's inbound listeners take SIDECAR_INBOUND, its outbound ones SIDECAR_OUTBOUND, both ANY. */
function sidecarListeners(patch: EnvoyFilterPatch): Listener[] {
  if (patch.context === 'SIDECAR_INBOUND') return ['sidecar_inbound'];
  if (patch.context === 'SIDECAR_OUTBOUND') return ['sidecar_outbound'];
  return patch.context === 'ANY' ? ['sidecar_inbound', 'sidecar_outbound'] : [];
}

/** policyattachment.go `ShouldAttachPolicy` for a waypoint (it carries the gateway-name label). */
function attachesToWaypoint(ef: EnvoyFilter, w: Waypoint, root: string): boolean {
  const ns = ef.meta.ref.namespace;
  return (ef.targetRefs ?? []).some((ref) => {
    if ((ref.group ?? '') !== GATEWAY_GROUP) return false;
    if (ref.kind === 'GatewayClass') return ns === root && ref.name === 'istio-waypoint';
    // A Gateway reference naming another namespace than the waypoint's attaches nothing ("unsupported; it will never match anything").
    if (ref.namespace !== undefined && ref.namespace !== '' && ref.namespace !== w.namespace) return false;
    return ref.kind === 'Gateway' && ns === w.namespace && ref.name === w.name;
  });
}

/** push_context.go `EnvoyFilters` / `getMatchedEnvoyFilters`: root-namespace and own-namespace filters, by selector. */
function attachesToSidecar(ef: EnvoyFilter, w: Workload, root: string): boolean {
  const ns = ef.meta.ref.namespace;
  if (ns !== root && ns !== w.namespace) return false;
  return ef.workloadSelector === undefined || selectorMatches({ matchLabels: ef.workloadSelector }, w.labels);
}

/** push_context.go: by priority, root namespace first, then creation time, then name. */
function applicationOrder(a: EnvoyFilter, b: EnvoyFilter, root: string): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const ar = a.meta.ref.namespace === root;
  const br = b.meta.ref.namespace === root;
  if (ar !== br) return ar ? -1 : 1;
  const at = a.meta.creationTimestamp ?? '';
  const bt = b.meta.creationTimestamp ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  const an = `${a.meta.ref.name}.${a.meta.ref.namespace}`;
  const bn = `${b.meta.ref.name}.${b.meta.ref.namespace}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

function nowhere(ef: EnvoyFilter): string {
  const how = (ef.targetRefs ?? []).length > 0
    ? 'its targetRefs name no waypoint Gateway of its namespace (nor GatewayClass istio-waypoint from the root namespace), and sidecars ignore filters with targetRefs'
    : 'waypoints take EnvoyFilters only through targetRefs, ztunnel is not Envoy, and no sidecar workload matches it';
  return `its local_ratelimit filter applies to no proxy: ${how}`;
}

function note(ef: EnvoyFilter, patch: EnvoyFilterPatch, code: 'envoy-filter-applies-nowhere' | 'envoy-filter-rate-limit-unmodelled', what: string): Diagnostic {
  const { file } = ef.meta.source;
  const object = `EnvoyFilter ${ef.meta.ref.namespace}/${ef.meta.ref.name}`;
  return { severity: code === 'envoy-filter-applies-nowhere' ? 'warning' : 'info', code, object, file, line: patch.line, message: `${object} (${file}:${patch.line}): spec.configPatches[${patch.index}]: ${what}` };
}
