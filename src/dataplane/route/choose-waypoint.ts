import type { ReasonCode } from '../../model/reason.js';
import type { MeshService, Waypoint, WaypointBinding, Workload } from '../../model/mesh.js';
import type { MeshIndex } from '../mesh-index.js';

export interface WaypointChoice {
  readonly waypoint?: Waypoint;
  /** The Service whose chain the waypoint applies, or null for pod-addressed traffic. */
  readonly service: string | null;
  readonly notes: readonly { readonly code: ReasonCode; readonly detail: Record<string, string> }[];
}

/**
 * Whether the source ztunnel sends a flow through a waypoint (istio/ztunnel:src/proxy/outbound.rs
 * `build_request`): a Service VIP with a waypoint goes to that waypoint; a pod IP goes to the pod's
 * waypoint only when the traffic was not addressed to a Service (`service` null); otherwise direct.
 * Waypoints are a destination-side choice: the source's own waypoint is never used (test `build_request_source_waypoint`).
 */
export function chooseWaypoint(source: Workload, service: MeshService | null, dest: Workload, index: MeshIndex): WaypointChoice {
  const notes: { code: ReasonCode; detail: Record<string, string> }[] = [];
  if (service !== null) {
    const binding = service.waypoint;
    const chosen = usable(binding, index, notes);
    if (chosen && source.waypointFor !== chosen.key) return { waypoint: chosen, service: service.key, notes };
    if (chosen) notes.push({ code: 'source-own-waypoint-skipped', detail: { waypoint: chosen.key } });
    // "Don't traverse waypoint if traffic was addressed to a service": a workload-only waypoint is bypassed.
    if (!binding && dest.waypoint && !dest.waypoint.problem) {
      notes.push({ code: 'waypoint-bypassed-service-addressed', detail: { waypoint: dest.waypoint.waypoint } });
    }
    return { service: service.key, notes };
  }
  const chosen = usable(dest.waypoint, index, notes);
  if (chosen && source.waypointFor !== chosen.key) return { waypoint: chosen, service: null, notes };
  if (!dest.waypoint) {
    // Pod-IP traffic never takes a Service's waypoint (pitfall: bypass by addressing the pod directly).
    const svcWaypoint = (index.servicesByEndpoint.get(dest.uid) ?? []).find((s) => s.waypoint && !s.waypoint.problem)?.waypoint;
    if (svcWaypoint) notes.push({ code: 'waypoint-bypassed-pod-addressed', detail: { waypoint: svcWaypoint.waypoint } });
  }
  return { service: null, notes };
}

function usable(
  binding: WaypointBinding | undefined, index: MeshIndex, notes: { code: ReasonCode; detail: Record<string, string> }[],
): Waypoint | undefined {
  if (!binding) return undefined;
  if (binding.problem) {
    notes.push({ code: binding.problem, detail: { waypoint: binding.waypoint, via: binding.via } });
    return undefined;
  }
  return index.waypointByKey.get(binding.waypoint);
}
