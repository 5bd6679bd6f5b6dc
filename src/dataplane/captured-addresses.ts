import type { AddressCounts, AddressPlacement } from '../model/capture.js';
import type { Flow } from '../model/flow.js';
import type { MeshService, Workload } from '../model/mesh.js';
import type { MeshIndex } from './mesh-index.js';
import { targetPortOf } from './route/endpoints.js';
import { namedTargetPort } from './route/service-delivery.js';

function kindOf(index: MeshIndex, ip: string): keyof AddressCounts {
  if (index.serviceByVip.has(ip)) return 'service';
  if (index.workloadByIp.has(ip)) return 'pod';
  if (index.nodeByIp.has(ip)) return 'node';
  return 'external';
}

/** Where a recorded destination ip:port is, and the notes a flow to it gets when it is a pod behind a Service. */
interface DestinationPlacement {
  readonly kind: keyof AddressCounts;
  readonly behind?: { readonly destination: { readonly ip: string; readonly port: number }; readonly undoneNote: string; readonly keptNote: string };
}

/**
 * Placements already worked out, per mesh index: recorded traffic repeats a few thousand addresses and
 * ports. Bounded: a memo is emptied when it holds {@link MAX_MEMOISED} entries.
 */
const MAX_MEMOISED = 65_536;
const memos = new WeakMap<MeshIndex, { size: number; kinds: Map<string, keyof AddressCounts>; destinations: Map<string, Map<number, DestinationPlacement>> }>();

function memoOf(index: MeshIndex): NonNullable<ReturnType<typeof memos.get>> {
  let memo = memos.get(index);
  if (!memo || memo.size >= MAX_MEMOISED) {
    memo = { size: 0, kinds: new Map(), destinations: new Map() };
    memos.set(index, memo);
  }
  return memo;
}

function memoisedKind(index: MeshIndex, ip: string): keyof AddressCounts {
  const memo = memoOf(index);
  let kind = memo.kinds.get(ip);
  if (kind === undefined) {
    kind = kindOf(index, ip);
    memo.kinds.set(ip, kind);
    memo.size++;
  }
  return kind;
}

function destinationPlacement(index: MeshIndex, ip: string, port: number): DestinationPlacement {
  const memo = memoOf(index);
  let ports = memo.destinations.get(ip);
  if (!ports) {
    ports = new Map();
    memo.destinations.set(ip, ports);
  }
  let placed = ports.get(port);
  if (placed === undefined) {
    placed = placeDestination(index, ip, port);
    ports.set(port, placed);
    memo.size++;
  }
  return placed;
}

function placeDestination(index: MeshIndex, ip: string, port: number): DestinationPlacement {
  const kind = kindOf(index, ip);
  const w = index.workloadByIp.get(ip);
  const behind = w ? serviceFor(index, w, port) : undefined;
  if (!behind) return { kind };
  const vip = behind.service.vips[0] as string;
  return {
    kind,
    behind: {
      destination: { ip: vip, port: behind.port },
      undoneNote: `destination ${ip}:${port} put back to Service ${behind.service.key} (${vip}:${behind.port}), as before kube-proxy's DNAT`,
      keptNote: `destination ${ip}:${port} is a pod behind Service ${behind.service.key} (${vip}:${behind.port}); if the capture was taken after kube-proxy's DNAT the application addressed the Service (replay with --undo-dnat)`,
    },
  };
}

/**
 * The Service port that forwards to this pod's port, if one does. A named target port forwards only
 * to pods that declare that name (route/service-delivery.ts `servesPort`, Kubernetes `FindPort`).
 */
function serviceFor(index: MeshIndex, w: Workload, port: number): { service: MeshService; port: number } | undefined {
  for (const service of index.servicesByEndpoint.get(w.uid) ?? []) {
    if (service.vips.length === 0) continue;
    const sp = service.ports.find((p) => forwardsTo(p.targetPort, w) && targetPortOf(p.targetPort, w, p.port) === port);
    if (sp) return { service, port: sp.port };
  }
  return undefined;
}

/** Whether a Service port's target can be this pod's: a number always is; a name only if the pod declares it. */
function forwardsTo(target: number | string, w: Workload): boolean {
  const name = namedTargetPort(target);
  return name === undefined || w.ports.some((p) => p.name === name);
}

/**
 * True when the manifests say something listens on ip:port (a Service port on a cluster IP, or a
 * container port on a pod): decides client and server for connections whose SYN was not captured.
 */
export function listensAt(index: MeshIndex): (ip: string, port: number) => boolean {
  return (ip, port) => {
    const svc = index.serviceByVip.get(ip);
    if (svc) return svc.ports.some((p) => p.port === port);
    const w = index.workloadByIp.get(ip);
    return w ? w.ports.some((p) => p.containerPort === port) || serviceFor(index, w, port) !== undefined : false;
  };
}

/**
 * Places recorded flows in the cluster: counts pod, Service, node and external addresses, and notes
 * flows to a pod port behind a Service, which a capture taken after kube-proxy's DNAT shows instead of
 * the Service the application addressed. Those stay pod-IP traffic (what ztunnel would see if the
 * application really dialled the pod) unless `undoDnat` puts them back to the Service's cluster IP.
 */
export function placeRecordedFlows(index: MeshIndex, flows: readonly Flow[], options: { undoDnat?: boolean } = {}): { flows: Flow[]; placement: AddressPlacement } {
  const tally = emptyPlacement();
  const out = flows.map((flow) => placeRecordedFlow(index, flow, tally, options));
  return { flows: out, placement: tally };
}

/** Counts that {@link placeRecordedFlow} adds to. */
export function emptyPlacement(): { -readonly [K in keyof AddressPlacement]: AddressPlacement[K] } {
  return { sources: { pod: 0, service: 0, node: 0, external: 0 }, destinations: { pod: 0, service: 0, node: 0, external: 0 }, postDnat: 0, undone: 0 };
}

/** {@link placeRecordedFlows} for one flow at a time (streaming replays), adding to `tally`. */
export function placeRecordedFlow(index: MeshIndex, flow: Flow, tally: ReturnType<typeof emptyPlacement>, options: { undoDnat?: boolean } = {}): Flow {
  const { sources, destinations } = tally;
  if (flow.source.ip !== undefined) sources[memoisedKind(index, flow.source.ip)]++;
  else sources.pod++;
  const dst = flow.destination;
  if (dst.ip === undefined) {
    destinations[dst.service !== undefined ? 'service' : 'pod']++;
    return flow;
  }
  const placed = destinationPlacement(index, dst.ip, dst.port);
  destinations[placed.kind]++;
  const behind = placed.behind;
  if (!behind) return flow;
  tally.postDnat++;
  if (options.undoDnat) {
    tally.undone++;
    return { ...flow, destination: behind.destination, origin: { kind: flow.origin?.kind ?? 'capture', ...flow.origin, note: joinNotes(flow.origin?.note, behind.undoneNote) } };
  }
  return { ...flow, origin: { kind: flow.origin?.kind ?? 'capture', ...flow.origin, note: joinNotes(flow.origin?.note, behind.keptNote) } };
}

function joinNotes(a: string | undefined, b: string): string {
  return a ? `${a}; ${b}` : b;
}
