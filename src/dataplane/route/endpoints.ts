import type { Flow, FlowDestination, FlowSource } from '../../model/flow.js';
import type { MeshService, Workload } from '../../model/mesh.js';
import type { MeshIndex } from '../mesh-index.js';
import { fnv1a } from '../../match/stable-address.js';
import { followExternalName } from './service-alias.js';
import { deliverServicePort, portProtocolOf, type ServiceResolver } from './service-delivery.js';

/** Who opened a flow, as the network sees it. */
export type ResolvedSource =
  | { readonly kind: 'workload'; readonly workload: Workload; readonly ip: string; readonly label: string }
  | { readonly kind: 'node'; readonly node: string; readonly ip: string; readonly label: string }
  | { readonly kind: 'external'; readonly ip: string; readonly label: string }
  | { readonly kind: 'unknown'; readonly label: string };

/** How a flow named a Service that handed it on: a headless Service's pod, or an ExternalName's alias. */
export interface ServiceAlias {
  readonly kind: 'headless' | 'external-name';
  readonly service: string;
  /** The ExternalName's DNS name, or the pod a headless name resolved to. */
  readonly to: string;
}

/** Why a Service address delivers nothing for the flow (src/dataplane/route/service-delivery.ts). */
export type Undeliverable =
  | { readonly code: 'service-port-protocol-undeclared'; readonly detail: Readonly<Record<string, string | number>> }
  | { readonly code: 'service-target-port-undeclared'; readonly detail: Readonly<Record<string, string | number>> };

/** Where a flow was addressed and which pod it reaches. */
export type ResolvedDestination =
  | {
      readonly kind: 'service'; readonly service: MeshService; readonly servicePort: number; readonly vip: string;
      readonly endpoint: Workload | null; readonly targetPort: number; readonly label: string; readonly via?: ServiceAlias;
    }
  | { readonly kind: 'workload'; readonly workload: Workload; readonly ip: string; readonly port: number; readonly label: string; readonly via?: ServiceAlias }
  | { readonly kind: 'node'; readonly node: string; readonly ip: string; readonly port: number; readonly label: string; readonly via?: ServiceAlias }
  | { readonly kind: 'external'; readonly ip: string; readonly port: number; readonly label: string; readonly via?: ServiceAlias }
  | { readonly kind: 'undeliverable'; readonly label: string; readonly service: MeshService; readonly why: Undeliverable; readonly via?: ServiceAlias }
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

/**
 * Who resolves a Service address for this source: a captured pod's ztunnel, else kube-proxy
 * (plan-route.ts sends ambient pods that are not ingress gateways through `fromAmbient`).
 */
export function resolverFor(src: ResolvedSource): ServiceResolver {
  return src.kind === 'workload' && src.workload.enrollment === 'ambient' && src.workload.ingressGatewayFor === undefined ? 'ztunnel' : 'kube-proxy';
}

/** Resolves a flow's destination; Service traffic picks one endpoint, stably by flow id. */
export function resolveDestination(flow: Flow, index: MeshIndex, resolver: ServiceResolver = 'kube-proxy'): ResolvedDestination {
  const dest: FlowDestination = flow.destination;
  if (dest.service !== undefined) {
    const svc = index.serviceByKey.get(dest.service);
    const label = `${dest.service}:${dest.port}`;
    if (!svc) return { kind: 'unknown', label, why: `no Service ${dest.service}` };
    return namedServiceDestination(flow, svc, index, resolver, label);
  }
  if (dest.workload !== undefined) {
    const w = findWorkload(index, dest.workload);
    const label = `${dest.workload}:${dest.port}`;
    if (!w) return { kind: 'unknown', label, why: `no pod or controller ${dest.workload}` };
    return { kind: 'workload', workload: w, ip: w.ips[0] ?? '', port: dest.port, label };
  }
  return addressDestination(flow, dest.ip, index, resolver);
}

function addressDestination(flow: Flow, ip: string, index: MeshIndex, resolver: ServiceResolver): ResolvedDestination {
  const port = flow.destination.port;
  const label = `${ip}:${port}`;
  const svc = index.serviceByVip.get(ip);
  if (svc) return serviceDestination(flow, svc, ip, index, resolver, `${svc.key}:${port}`);
  const w = index.workloadByIp.get(ip);
  if (w) return { kind: 'workload', workload: w, ip, port, label: `${w.uid}:${port}` };
  const node = index.nodeByIp.get(ip);
  if (node) return { kind: 'node', node, ip, port, label };
  return { kind: 'external', ip, port, label };
}

/**
 * A Service the flow named. An ExternalName is followed to what it names (service-alias.ts). A
 * headless Service (`clusterIP: None`) has no VIP: its name resolves to its endpoints' pod IPs, so the
 * flow is pod-addressed traffic to the port it was sent to (no port mapping happens without a VIP:
 * kube-proxy skips headless and ExternalName Services, pkg/proxy/util/utils.go `ShouldSkipService`; istiod gives ztunnel no
 * address for them, ambient/services.go `getVIPs`).
 */
function namedServiceDestination(flow: Flow, svc: MeshService, index: MeshIndex, resolver: ServiceResolver, label: string): ResolvedDestination {
  if (svc.externalName !== undefined) return aliasDestination(flow, svc, index, resolver, label);
  if (svc.headless !== true) return serviceDestination(flow, svc, svc.vips[0] ?? '', index, resolver, label);
  const port = flow.destination.port;
  const endpoints = index.endpointsByService.get(svc.key) ?? [];
  if (endpoints.length === 0) return { kind: 'service', service: svc, servicePort: port, vip: '', endpoint: null, targetPort: port, label };
  const w = endpoints[endpointIndex(flow.id, endpoints.length)] as Workload;
  return { kind: 'workload', workload: w, ip: w.ips[0] ?? '', port, label, via: { kind: 'headless', service: svc.key, to: w.uid } };
}

function aliasDestination(flow: Flow, svc: MeshService, index: MeshIndex, resolver: ServiceResolver, label: string): ResolvedDestination {
  const target = followExternalName(svc, index);
  const via: ServiceAlias = { kind: 'external-name', service: svc.key, to: svc.externalName ?? '' };
  if (target.kind === 'unresolved') return { kind: 'unknown', label, why: target.why };
  if (target.kind === 'external') return { kind: 'external', ip: target.host, port: flow.destination.port, label, via };
  const resolved = target.kind === 'ip' ? addressDestination(flow, target.ip, index, resolver) : namedServiceDestination(flow, target.service, index, resolver, label);
  return resolved.kind === 'unknown' ? resolved : { ...resolved, label, via };
}

/**
 * Which of `n` endpoints a flow goes to: chosen stably from the flow id (ztunnel and kube-proxy pick
 * at random; a replay must be repeatable). The only way a flow's id affects its evaluation.
 */
export function endpointIndex(flowId: string, n: number): number {
  return n > 1 ? fnv1a(flowId) % n : 0;
}

/**
 * A Service address: the port the flow's protocol uses there and the endpoints that serve it
 * (service-delivery.ts); a flow that reaches nothing is undeliverable, with why.
 */
function serviceDestination(flow: Flow, svc: MeshService, vip: string, index: MeshIndex, resolver: ServiceResolver, label: string): ResolvedDestination {
  const port = flow.destination.port;
  const delivery = deliverServicePort(svc, port, flow.protocol, resolver, index.endpointsByService.get(svc.key) ?? [], (w) => w);
  if (delivery.kind === 'no-port') return { kind: 'unknown', label, why: `Service ${svc.key} has no port ${port}` };
  if (delivery.kind === 'protocol-undeclared') {
    const detail = { service: svc.key, port, protocol: portProtocolOf(flow.protocol), declared: delivery.declared };
    return { kind: 'undeliverable', label, service: svc, why: { code: 'service-port-protocol-undeclared', detail } };
  }
  if (delivery.kind === 'target-port-undeclared') {
    return { kind: 'undeliverable', label, service: svc, why: { code: 'service-target-port-undeclared', detail: { service: svc.key, port, targetPort: delivery.targetPort } } };
  }
  const endpoints = delivery.endpoints;
  const endpoint = endpoints.length === 0 ? null : (endpoints[endpointIndex(flow.id, endpoints.length)] as Workload);
  return { kind: 'service', service: svc, servicePort: port, vip, endpoint, targetPort: targetPortOf(delivery.port.targetPort, endpoint, port), label };
}

/** A Service port's target: a number, or the named container port of the chosen pod. */
export function targetPortOf(target: number | string, endpoint: Workload | null, fallback: number): number {
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (Number.isInteger(asNumber) && target !== '') return asNumber;
  return endpoint?.ports.find((p) => p.name === target)?.containerPort ?? fallback;
}
