import type { Decision } from '../model/decision.js';
import type { MeshService, MeshServicePort, Waypoint, Workload } from '../model/mesh.js';
import type { ZtunnelTable } from './ztunnel-table.js';
import type { Transport } from '../model/flow.js';
import { deliverServicePort, type PortDelivery, type ServiceResolver } from './route/service-delivery.js';

export const ENROLLED_NONE = 0;
export const ENROLLED_AMBIENT = 1;
export const ENROLLED_SIDECAR = 2;

/**
 * Everything the verdict path reads of a workload, in one object of one shape (monomorphic field
 * reads), built the first time the workload is seen.
 */
export class WorkloadRecord {
  constructor(
    readonly workload: Workload,
    readonly uid: string,
    /** The uid interned to a number: records that share a uid share it, so loopback is one integer test. */
    readonly uidId: number,
    /** SPIFFE ID and its interned id. */
    readonly identityName: string,
    readonly identity: number,
    /** `ips[0]`, and as an IPv4 number (or an ipv4Of code). */
    readonly ip: string,
    readonly ipv4: number,
    readonly node: string | null,
    readonly enrollment: number,
    readonly hostNetwork: boolean,
    /** Sidecar and ingress-gateway sources: their paths take the evidence evaluator. */
    readonly evidenceSource: boolean,
    /** The waypoint this pod implements, if it is a waypoint pod. */
    readonly waypointFor: string | null,
    /** The waypoint for traffic addressed to this pod's IP, when the binding is in effect. */
    readonly podWaypoint: Waypoint | null,
    /** The destination ztunnel's compiled policies for this pod (ambient pods only). */
    readonly ztunnel: ZtunnelTable | null,
    /** Decisions of the ztunnel on this pod's node, by outcome id. */
    readonly atNode: NodeDecisions,
    /** The pod as an end of HBONE tunnels: an id shared with waypoints (see CompiledMesh `waypointPeer`). */
    readonly end: number,
  ) {}
}

/** A Service as the verdict path reads it. */
export class ServiceRecord {
  constructor(
    readonly service: MeshService,
    readonly key: string,
    readonly vip: string,
    readonly ports: readonly MeshServicePort[],
    readonly endpoints: readonly WorkloadRecord[],
    /** The Service's waypoint, when the binding is in effect. */
    readonly waypoint: Waypoint | null,
  ) {
    this.firstPort = ports.length > 0 ? (ports[0] as MeshServicePort).port : NaN;
    this.portNumbers = Float64Array.from(ports, (p) => p.port);
  }

  /** `ports[0].port` (NaN when there is none), read without leaving the record. */
  readonly firstPort: number;
  /** `ports[i].port`, in one flat array. */
  readonly portNumbers: Float64Array;

  /** Deliveries worked out, four per declared port (TCP or UDP, through kube-proxy or ztunnel). */
  private readonly deliveries: (PortDelivery<WorkloadRecord> | undefined)[] = [];

  /** What a flow to `port` over `transport` reaches (service-delivery.ts `deliverServicePort`), memoised. */
  delivery(port: number, transport: Transport, resolver: ServiceResolver): PortDelivery<WorkloadRecord> {
    // Only declared port numbers are memoised, so traffic to other ports cannot grow the memo.
    const p = this.portIndex(port);
    if (p < 0) return NO_PORT;
    const slot = 4 * p + (transport === 'udp' ? 2 : 0) + (resolver === 'ztunnel' ? 1 : 0);
    let found = this.deliveries[slot];
    if (found === undefined) {
      found = deliverServicePort(this.service, port, transport, resolver, this.endpoints, (e) => e.workload);
      while (this.deliveries.length <= slot) this.deliveries.push(undefined);
      this.deliveries[slot] = found;
    }
    return found;
  }

  /** The index of the first port numbered `port` (as `ports.find` picks it), else -1. */
  portIndex(port: number): number {
    if (this.firstPort === port) return 0;
    const numbers = this.portNumbers;
    for (let i = 0; i < numbers.length; i++) if (numbers[i] === port) return i;
    return -1;
  }
}

const NO_PORT: PortDelivery<never> = { kind: 'no-port' };

/**
 * The destination ztunnel decisions of one node, by table outcome id, encrypted or not. The arrays
 * are filled to the number of outcomes up front, so they stay dense (an array written far past its
 * end turns into a slow dictionary).
 */
export class NodeDecisions {
  plain: (Decision | undefined)[] = [];
  encrypted: (Decision | undefined)[] = [];

  constructor(
    readonly name: string,
    /** The node's dense id (its ztunnel's, for counters): one per name, from zero up. */
    readonly id: number,
  ) {}

  /** Makes room for `outcomes` ids. */
  reserve(outcomes: number): void {
    if (this.plain.length >= outcomes) return;
    this.plain = grown(this.plain, outcomes);
    this.encrypted = grown(this.encrypted, outcomes);
  }
}

function grown(list: readonly (Decision | undefined)[], size: number): (Decision | undefined)[] {
  const out = new Array<Decision | undefined>(size).fill(undefined);
  for (let i = 0; i < list.length; i++) out[i] = list[i];
  return out;
}
