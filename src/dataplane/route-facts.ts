import type { CheckpointOutcome } from '../model/decision.js';
import type { Waypoint } from '../model/mesh.js';
import type { ServiceRecord, WorkloadRecord } from './records.js';
import type { TableOutcome } from './ztunnel-table.js';

/** The route is one the verdict path does not describe: its explanation comes from the evidence evaluator. */
export const ROUTE_OTHER = 0;
/** A captured source's ztunnel sends HBONE straight to an ambient pod, whose ztunnel decides. */
export const ROUTE_DIRECT = 1;
/** A captured source's ztunnel sends HBONE to a waypoint; after it allows, the pod's ztunnel (when ambient) decides. */
export const ROUTE_WAYPOINT = 2;
/** A source outside the mesh (pod, node or external address) sends plaintext to an ambient pod, whose ztunnel decides. */
export const ROUTE_PLAIN = 3;

/**
 * What the verdict path established about the last flow it decided, in the few fields its
 * explanation needs: route shape, endpoints, waypoint and each point's outcome. One object, reused
 * for every flow; read it before the next flow is decided.
 */
export class RouteFacts {
  shape = ROUTE_OTHER;
  /** The source pod, or null for a node or an external address. */
  source: WorkloadRecord | null = null;
  /** The source address the flow came from (a pod's first address when the flow names the pod). */
  srcIp = '';
  /** The Service the flow was addressed to, else null. */
  service: ServiceRecord | null = null;
  dest: WorkloadRecord | null = null;
  waypoint: Waypoint | null = null;
  /** The waypoint's outcome (ROUTE_WAYPOINT). */
  atWaypoint: CheckpointOutcome | null = null;
  /** The destination ztunnel's outcome; null when no ztunnel decided (the waypoint denied, or the pod is not ambient). */
  atZtunnel: TableOutcome | null = null;
  /** The address and port the flow was sent to, as the waypoint sees them (ROUTE_WAYPOINT). */
  waypointDstIp = '';
  waypointPort = 0;
  /** The port the destination ztunnel sees: the container port. */
  ztunnelPort = 0;

  reset(): void {
    this.shape = ROUTE_OTHER;
    this.source = null;
    this.service = null;
    this.dest = null;
    this.waypoint = null;
    this.atWaypoint = null;
    this.atZtunnel = null;
  }
}
