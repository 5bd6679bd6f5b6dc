import type { AddressCounts, AddressPlacement } from '../model/capture.js';
import type { Flow } from '../model/flow.js';
import type { MeshService, Workload } from '../model/mesh.js';
import type { MeshIndex } from './mesh-index.js';
import { targetPortOf } from './route/endpoints.js';

function kindOf(index: MeshIndex, ip: string): keyof AddressCounts {
  if (index.serviceByVip.has(ip)) return 'service';
  if (index.workloadByIp.has(ip)) return 'pod';
  if (index.nodeByIp.has(ip)) return 'node';
  return 'external';
}

/** The Service port that forwards to this pod's port, if one does. */
function serviceFor(index: MeshIndex, w: Workload, port: number): { service: MeshService; port: number } | undefined {
  for (const service of index.servicesByEndpoint.get(w.uid) ?? []) {
    if (service.vips.length === 0) continue;
    const sp = service.ports.find((p) => targetPortOf(p.targetPort, w, p.port) === port);
    if (sp) return { service, port: sp.port };
  }
  return undefined;
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
  if (flow.source.ip !== undefined) sources[kindOf(index, flow.source.ip)]++;
  else sources.pod++;
  const dst = flow.destination;
  if (dst.ip === undefined) {
    destinations[dst.service !== undefined ? 'service' : 'pod']++;
    return flow;
  }
  destinations[kindOf(index, dst.ip)]++;
  const w = index.workloadByIp.get(dst.ip);
  const behind = w ? serviceFor(index, w, dst.port) : undefined;
  if (!behind) return flow;
  tally.postDnat++;
  const vip = behind.service.vips[0] as string;
  if (options.undoDnat) {
    tally.undone++;
    const note = `destination ${dst.ip}:${dst.port} put back to Service ${behind.service.key} (${vip}:${behind.port}), as before kube-proxy's DNAT`;
    return { ...flow, destination: { ip: vip, port: behind.port }, origin: { kind: flow.origin?.kind ?? 'capture', ...flow.origin, note: joinNotes(flow.origin?.note, note) } };
  }
  const note = `destination ${dst.ip}:${dst.port} is a pod behind Service ${behind.service.key} (${vip}:${behind.port}); if the capture was taken after kube-proxy's DNAT the application addressed the Service (replay with --undo-dnat)`;
  return { ...flow, origin: { kind: flow.origin?.kind ?? 'capture', ...flow.origin, note: joinNotes(flow.origin?.note, note) } };
}

function joinNotes(a: string | undefined, b: string): string {
  return a ? `${a}; ${b}` : b;
}
