import type { Flow } from '../model/flow.js';
import type { CompiledMesh } from './compiled-mesh.js';
import type { MeshIndex } from './mesh-index.js';
import type { ServiceRecord, WorkloadRecord } from './records.js';
import { endpointIndex, targetPortOf } from './route/endpoints.js';
import { followExternalName } from './route/service-alias.js';
import type { ServiceResolver } from './route/service-delivery.js';

/** Where a flow's destination resolved to, in the few fields the verdict path reads (one object, reused). */
export class Target {
  /** UNKNOWN, SERVICE, NO_ENDPOINTS, WORKLOAD, OFF_MESH, PROTOCOL_UNDECLARED or TARGET_PORT_UNDECLARED. */
  kind = 0;
  service: ServiceRecord | null = null;
  workload: WorkloadRecord | null = null;
  /** Address the flow was sent to: the Service VIP or the pod address. */
  ip = '';
  /** Port the flow was sent to (the Service port for Service traffic). */
  port = 0;
  /** Port at the pod: the Service's targetPort, else the port itself. */
  containerPort = 0;
  /** The flow's Service handed it on (headless or ExternalName): explained by the evidence evaluator. */
  via = false;
}

export const UNKNOWN = 0;
export const SERVICE = 1;
export const NO_ENDPOINTS = 2;
export const WORKLOAD = 3;
export const OFF_MESH = 4;
export const PROTOCOL_UNDECLARED = 5;
export const TARGET_PORT_UNDECLARED = 6;

/**
 * The verdict path's `resolveDestination` (route/endpoints.ts): the same rules over the
 * compiled records, into one reused {@link Target}.
 */
export class TargetResolver {
  private readonly target = new Target();

  constructor(private readonly compiled: CompiledMesh, private readonly index: MeshIndex) {}

  /** Resolves the destination as `resolveDestination` does; Service traffic picks its endpoint by flow id. */
  resolve(flow: Flow, resolver: ServiceResolver): Target {
    const t = this.target;
    const compiled = this.compiled;
    const d = flow.destination;
    t.kind = UNKNOWN;
    t.service = null;
    t.workload = null;
    t.port = d.port;
    t.containerPort = d.port;
    t.via = false;
    if (d.service !== undefined) {
      const svc = compiled.serviceByKey(d.service);
      return svc === null ? t : this.namedServiceTarget(svc, flow, resolver);
    }
    if (d.workload !== undefined) {
      const w = compiled.workloadByRef(d.workload);
      return w === null ? t : this.workloadTarget(w, w.ip);
    }
    return this.addressTarget(d.ip, flow, resolver);
  }

  private addressTarget(ip: string, flow: Flow, resolver: ServiceResolver): Target {
    const svc = this.compiled.serviceByVip(ip);
    if (svc !== null) return this.serviceTarget(svc, ip, flow, resolver);
    const w = this.compiled.workloadByIp(ip);
    if (w !== null) return this.workloadTarget(w, ip);
    const t = this.target;
    t.kind = OFF_MESH;
    t.ip = ip;
    return t;
  }

  /** A Service the flow named: an ExternalName is followed, a headless one resolves to a pod (endpoints.ts `namedServiceDestination`). */
  private namedServiceTarget(svc: ServiceRecord, flow: Flow, resolver: ServiceResolver): Target {
    const t = this.target;
    const service = svc.service;
    if (service.externalName !== undefined) {
      const to = followExternalName(service, this.index);
      if (to.kind === 'unresolved') return t;
      t.via = true;
      if (to.kind === 'ip') return this.addressTarget(to.ip, flow, resolver);
      if (to.kind === 'service') {
        const target = this.compiled.serviceByKey(to.service.key);
        return target === null ? t : this.namedServiceTarget(target, flow, resolver);
      }
      t.kind = OFF_MESH;
      t.ip = to.host;
      return t;
    }
    if (service.headless !== true) return this.serviceTarget(svc, svc.vip, flow, resolver);
    const endpoints = svc.endpoints;
    if (endpoints.length === 0) {
      t.kind = NO_ENDPOINTS;
      t.service = svc;
      return t;
    }
    const endpoint = endpoints[endpointIndex(flow.id, endpoints.length)] as WorkloadRecord;
    t.via = true;
    return this.workloadTarget(endpoint, endpoint.ip);
  }

  private serviceTarget(svc: ServiceRecord, vip: string, flow: Flow, resolver: ServiceResolver): Target {
    const t = this.target;
    const delivery = svc.delivery(t.port, flow.protocol, resolver);
    if (delivery.kind === 'no-port') return t;
    if (delivery.kind === 'protocol-undeclared') {
      t.kind = PROTOCOL_UNDECLARED;
      return t;
    }
    if (delivery.kind === 'target-port-undeclared') {
      t.kind = TARGET_PORT_UNDECLARED;
      return t;
    }
    t.service = svc;
    t.ip = vip;
    const endpoints = delivery.endpoints;
    if (endpoints.length === 0) {
      t.kind = NO_ENDPOINTS;
      return t;
    }
    // Stable by flow id (endpoints.ts `endpointIndex`): a replay must be repeatable.
    const endpoint = endpoints[endpointIndex(flow.id, endpoints.length)] as WorkloadRecord;
    t.kind = SERVICE;
    t.workload = endpoint;
    t.containerPort = targetPortOf(delivery.port.targetPort, endpoint.workload, t.port);
    return t;
  }

  private workloadTarget(w: WorkloadRecord, ip: string): Target {
    const t = this.target;
    t.kind = WORKLOAD;
    t.workload = w;
    t.ip = ip;
    return t;
  }
}
