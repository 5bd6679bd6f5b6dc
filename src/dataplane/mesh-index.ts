import type { Mesh, MeshRequestAuthentication, MeshService, Waypoint, WaypointAuthorization, Workload, ZtunnelAuthorization } from '../model/mesh.js';
import { flatString } from '../match/flat-string.js';
import { workloadAtAddress } from '../istiod/address-conflicts.js';
import { appliesToSidecar } from '../istiod/sidecar-policies.js';
import { compileWaypointAuthorization, type CompiledWaypointPolicy } from './authz/waypoint-rbac.js';
import { compileZtunnelAuthorization, type CompiledZtunnelPolicy } from './authz/ztunnel-rbac.js';

/**
 * A mesh with every lookup the router and enforcement points need, built once: addresses to
 * workloads and services, names to objects, and compiled policies per enforcement point.
 */
export interface MeshIndex {
  readonly mesh: Mesh;
  readonly workloadByUid: ReadonlyMap<string, Workload>;
  readonly workloadByIp: ReadonlyMap<string, Workload>;
  /** `ns/controller` to its pods, sorted by uid. */
  readonly workloadsByController: ReadonlyMap<string, readonly Workload[]>;
  readonly serviceByKey: ReadonlyMap<string, MeshService>;
  readonly serviceByVip: ReadonlyMap<string, MeshService>;
  /** The endpoints of a Service as workloads, in uid order. */
  readonly endpointsByService: ReadonlyMap<string, readonly Workload[]>;
  /** Pod uid to the services that select it. */
  readonly servicesByEndpoint: ReadonlyMap<string, readonly MeshService[]>;
  readonly waypointByKey: ReadonlyMap<string, Waypoint>;
  /** Node IP to node name. */
  readonly nodeByIp: ReadonlyMap<string, string>;
  readonly ztunnelPolicyByKey: ReadonlyMap<string, CompiledZtunnelPolicy>;
  /** The compiled policies a destination ztunnel applies to a workload, in ztunnel's order (cached). */
  ztunnelPoliciesFor(workload: Workload): readonly CompiledZtunnelPolicy[];
  /** The compiled policies a waypoint applies to traffic for a service (or for a pod when `service` is null). */
  waypointPoliciesFor(waypoint: string, service: string | null): readonly CompiledWaypointPolicy[];
  /** The compiled policies a workload's sidecar enforces inbound, in manifest order (cached). */
  sidecarPoliciesFor(workload: Workload): readonly CompiledWaypointPolicy[];
  /** RequestAuthentications at a sidecar (workload) or at a waypoint's chain for a service. */
  requestAuthenticationsFor(at: { readonly workload: Workload } | { readonly waypoint: string; readonly service: string | null }): readonly MeshRequestAuthentication[];
}

/** Builds the index for a mesh; policies are compiled here, once. */
export function indexMesh(mesh: Mesh): MeshIndex {
  // Keys that flows are looked up by are flat strings (flat-string.ts).
  const workloadByUid = new Map(mesh.workloads.map((w) => [flatString(w.uid), w]));
  const workloadByIp = new Map<string, Workload>();
  const workloadsByController = new Map<string, Workload[]>();
  const shared = new Map<string, Workload[]>();
  for (const w of [...mesh.workloads].sort((a, b) => (a.uid < b.uid ? -1 : 1))) {
    // Host-network pods share the node's IP; the node, not the pod, owns that address.
    if (!w.hostNetwork) {
      for (const ip of w.ips) {
        const earlier = workloadByIp.get(ip);
        if (earlier === undefined) workloadByIp.set(flatString(ip), w);
        else if (earlier !== w) appendTo(shared, ip, w);
      }
    }
    if (w.controller) appendTo(workloadsByController, w.controller, w);
  }
  // An address two pods claim goes to the one ztunnel would pick (istiod/address-conflicts.ts).
  for (const [ip, later] of shared) {
    const chosen = workloadAtAddress([workloadByIp.get(ip) as Workload, ...later]);
    if (chosen !== undefined) workloadByIp.set(ip, chosen.workload);
  }
  const serviceByKey = new Map(mesh.services.map((s) => [flatString(s.key), s]));
  const serviceByVip = new Map<string, MeshService>();
  const servicesByEndpoint = new Map<string, MeshService[]>();
  for (const s of mesh.services) {
    for (const vip of s.vips) if (!serviceByVip.has(vip)) serviceByVip.set(flatString(vip), s);
    for (const uid of s.endpoints) appendTo(servicesByEndpoint, uid, s);
  }
  const endpointsByService = new Map(mesh.services.map((s) => [flatString(s.key), s.endpoints.flatMap((uid) => workloadByUid.get(uid) ?? [])]));
  const nodeByIp = new Map<string, string>();
  for (const [name, ips] of Object.entries(mesh.nodes)) for (const ip of ips) nodeByIp.set(flatString(ip), name);
  const ztunnelPolicyByKey = new Map(mesh.ztunnelPolicies.map((p) => [p.key, compileZtunnelAuthorization(p)]));
  const scoped = scopedPolicies(mesh.ztunnelPolicies, ztunnelPolicyByKey);
  const perWorkload = new Map<string, readonly CompiledZtunnelPolicy[]>();
  const waypointLookup = waypointPolicyLookup(mesh.waypointPolicies);
  const root = mesh.meshConfig.rootNamespace;
  const sidecarPolicies = mesh.sidecarPolicies.map(compileWaypointAuthorization);
  const perSidecar = new Map<string, readonly CompiledWaypointPolicy[]>();
  return {
    mesh, workloadByUid, workloadByIp, workloadsByController, serviceByKey, serviceByVip, servicesByEndpoint, endpointsByService,
    waypointByKey: new Map(mesh.waypoints.map((w) => [w.key, w])),
    nodeByIp, ztunnelPolicyByKey,
    ztunnelPoliciesFor(workload) {
      let list = perWorkload.get(workload.uid);
      if (!list) {
        // istio/ztunnel:src/state.rs `assert_rbac`: namespace-scope, then global, then the workload's own list.
        // Unknown names (e.g. a converted PeerAuthentication istiod did not build) are skipped, as ztunnel does.
        const own = workload.policies.flatMap((k) => ztunnelPolicyByKey.get(k) ?? []);
        list = [...(scoped.byNamespace.get(workload.namespace) ?? []), ...scoped.global, ...own];
        perWorkload.set(workload.uid, list);
      }
      return list;
    },
    waypointPoliciesFor: waypointLookup,
    sidecarPoliciesFor(workload) {
      let list = perSidecar.get(workload.uid);
      if (!list) {
        list = sidecarPolicies.filter((c, i) => appliesToSidecar(mesh.sidecarPolicies[i] as Mesh['sidecarPolicies'][number], workload, root));
        perSidecar.set(workload.uid, list);
      }
      return list;
    },
    requestAuthenticationsFor(at) {
      if ('workload' in at) return mesh.requestAuthentications.filter((ra) => appliesToSidecar(ra, at.workload, root));
      // targetRefs RequestAuthentications, bound like AuthorizationPolicies (policyattachment.go).
      return mesh.requestAuthentications.filter((ra) => ra.bindings.some((b) => b.kind === 'GatewayClass'
        || (b.kind === 'Gateway' && b.waypoint === at.waypoint) || (b.kind === 'Service' && b.service === at.service)));
    },
  };
}

/** Adds a value to the list under `key` (lists grow in place: a controller may have thousands of pods). */
function appendTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(flatString(key), [value]);
}

function scopedPolicies(
  policies: readonly ZtunnelAuthorization[],
  compiled: ReadonlyMap<string, CompiledZtunnelPolicy>,
): { byNamespace: Map<string, CompiledZtunnelPolicy[]>; global: CompiledZtunnelPolicy[] } {
  const byNamespace = new Map<string, CompiledZtunnelPolicy[]>();
  const global: CompiledZtunnelPolicy[] = [];
  for (const p of policies) {
    const c = compiled.get(p.key);
    if (!c) continue;
    if (p.scope === 'GLOBAL') global.push(c);
    if (p.scope === 'NAMESPACE') byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), c]);
  }
  return { byNamespace, global };
}

function waypointPolicyLookup(policies: readonly WaypointAuthorization[]): (waypoint: string, service: string | null) => readonly CompiledWaypointPolicy[] {
  const byGateway = new Map<string, CompiledWaypointPolicy[]>();
  const byService = new Map<string, CompiledWaypointPolicy[]>();
  const everyWaypoint: CompiledWaypointPolicy[] = [];
  for (const p of policies) {
    const c = compileWaypointAuthorization(p);
    for (const b of p.bindings) {
      if (b.kind === 'Gateway') byGateway.set(b.waypoint, [...(byGateway.get(b.waypoint) ?? []), c]);
      else if (b.kind === 'Service') byService.set(b.service, [...(byService.get(b.service) ?? []), c]);
      else if (b.kind === 'GatewayClass') everyWaypoint.push(c);
    }
  }
  const cache = new Map<string, readonly CompiledWaypointPolicy[]>();
  return (waypoint, service) => {
    const key = `${waypoint}|${service ?? ''}`;
    let list = cache.get(key);
    if (!list) {
      // Gateway-bound and GatewayClass-bound policies see all traffic; Service-bound ones only that Service's chain
      // (istio/istio:pilot/pkg/networking/core/listener_waypoint.go `buildWaypointInternal`).
      list = [...everyWaypoint, ...(byGateway.get(waypoint) ?? []), ...(service ? byService.get(service) ?? [] : [])];
      cache.set(key, list);
    }
    return list;
  };
}
