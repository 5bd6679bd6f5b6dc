import type { Flow, FlowDestination, FlowSource } from '../../model/flow.js';
import type { MeshService, Workload } from '../../model/mesh.js';
import type { MeshIndex } from '../mesh-index.js';
import { fnv1a } from '../../match/stable-address.js';

/** Who opened a flow, as the network sees it. */
export type ResolvedSource =
  | { readonly kind: 'workload'; readonly workload: Workload; readonly ip: string; readonly label: string }
  | { readonly kind: 'node'; readonly node: string; readonly ip: string; readonly label: string }
  | { readonly kind: 'external'; readonly ip: string; readonly label: string }
  | { readonly kind: 'unknown'; readonly label: string };

/** Where a flow was addressed and which pod it reaches. */
export type ResolvedDestination =
  | {
      readonly kind: 'service'; readonly service: MeshService; readonly servicePort: number; readonly vip: string;
      readonly endpoint: Workload | null; readonly targetPort: number; readonly label: string;
    }
  | { readonly kind: 'workload'; readonly workload: Workload; readonly ip: string; readonly port: number; readonly label: string }
  | { readonly kind: 'node'; readonly node: string; readonly ip: string; readonly port: number; readonly label: string }
  | { readonly kind: 'external'; readonly ip: string; readonly port: number; readonly label: string }
  | { readonly kind: 'unknown'; readonly label: string; readonly why: string };

/** A `ns/pod` or `ns/controller` reference: the pod, else the controller's first pod by name. */
export function findWorkload(index: MeshIndex, ref: string): Workload | undefined {
  return index.workloadByUid.get(ref) ?? index.workloadsByController.get(ref)?.[0];
}

/** Resolves a flow's source to a workload, a node, or an external address. */
export function resolveSource(source: FlowSource, index: MeshIndex): ResolvedSource {
  if (source.workload !== undefined) {
    const w = findWorkload(index, source.workload);
    if (!w) return { kind: 'unknown', label: source.workload };
    return { kind: 'workload', workload: w, ip: w.ips[0] ?? '', label: source.workload };
  }
  const ip = source.ip;
  const w = index.workloadByIp.get(ip);
  if (w) return { kind: 'workload', workload: w, ip, label: w.uid };
  const node = index.nodeByIp.get(ip);
  if (node) return { kind: 'node', node, ip, label: `node/${node}` };
  return { kind: 'external', ip, label: ip };
}

/** Resolves a flow's destination; Service traffic picks one endpoint, stably by flow id. */
export function resolveDestination(flow: Flow, index: MeshIndex): ResolvedDestination {
  const dest: FlowDestination = flow.destination;
  if (dest.service !== undefined) {
    const svc = index.serviceByKey.get(dest.service);
    const label = `${dest.service}:${dest.port}`;
    if (!svc) return { kind: 'unknown', label, why: `no Service ${dest.service}` };
    return serviceDestination(svc, dest.port, svc.vips[0] ?? '', flow.id, index, label);
  }
  if (dest.workload !== undefined) {
    const w = findWorkload(index, dest.workload);
    const label = `${dest.workload}:${dest.port}`;
    if (!w) return { kind: 'unknown', label, why: `no pod or controller ${dest.workload}` };
    return { kind: 'workload', workload: w, ip: w.ips[0] ?? '', port: dest.port, label };
  }
  const label = `${dest.ip}:${dest.port}`;
  const svc = index.serviceByVip.get(dest.ip);
  if (svc) return serviceDestination(svc, dest.port, dest.ip, flow.id, index, `${svc.key}:${dest.port}`);
  const w = index.workloadByIp.get(dest.ip);
  if (w) return { kind: 'workload', workload: w, ip: dest.ip, port: dest.port, label: `${w.uid}:${dest.port}` };
  const node = index.nodeByIp.get(dest.ip);
  if (node) return { kind: 'node', node, ip: dest.ip, port: dest.port, label };
  return { kind: 'external', ip: dest.ip, port: dest.port, label };
}

/**
 * Which endpoint of a Service a flow goes to: chosen stably from the flow id (ztunnel and kube-proxy
 * pick at random; a replay must be repeatable). The only way a flow's id affects its evaluation.
 */
export function endpointChoice(svc: MeshService, flowId: string, index: MeshIndex): number {
  const n = index.endpointsByService.get(svc.key)?.length ?? 0;
  return n > 1 ? fnv1a(flowId) % n : 0;
}

function serviceDestination(svc: MeshService, port: number, vip: string, flowId: string, index: MeshIndex, label: string): ResolvedDestination {
  const sp = svc.ports.find((p) => p.port === port);
  if (!sp) return { kind: 'unknown', label, why: `Service ${svc.key} has no port ${port}` };
  const endpoints = index.endpointsByService.get(svc.key) ?? [];
  const endpoint = endpoints.length === 0 ? null : (endpoints[endpointChoice(svc, flowId, index)] as Workload);
  return { kind: 'service', service: svc, servicePort: port, vip, endpoint, targetPort: targetPortOf(sp.targetPort, endpoint, port), label };
}

/** A Service port's target: a number, or the named container port of the chosen pod. */
export function targetPortOf(target: number | string, endpoint: Workload | null, fallback: number): number {
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (Number.isInteger(asNumber) && target !== '') return asNumber;
  return endpoint?.ports.find((p) => p.name === target)?.containerPort ?? fallback;
}
