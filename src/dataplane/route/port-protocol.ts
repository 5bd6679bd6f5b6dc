import type { MeshService, MeshServicePort, Workload } from '../../model/mesh.js';
import type { MeshIndex } from '../mesh-index.js';
import { targetPortOf } from './endpoints.js';

/** How a sidecar's inbound chain treats a port: HTTP (L7 attributes seen), TCP, or undeclared (sniffed). */
export type PortProtocol = 'http' | 'tcp' | 'undeclared';

const HTTP_FAMILY = new Set(['http', 'http2', 'grpc', 'grpc-web', 'h2c', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
const OTHER_KNOWN = new Set(['tcp', 'tls', 'https', 'mongo', 'redis', 'mysql', 'udp', 'unsupported']);

/**
 * Istio's protocol for a Service port: `appProtocol` first, else the port name's prefix before `-`
 * (istio/istio:pkg/config/kube/conversion.go `ConvertProtocol`, pkg/config/protocol/instance.go `Parse`).
 * An unrecognised or missing name is undeclared: the sidecar sniffs the protocol
 * (pilot/pkg/networking/core/listener_inbound.go, inbound protocol detection).
 */
export function servicePortProtocol(port: Pick<MeshServicePort, 'name' | 'appProtocol'>): PortProtocol {
  const classify = (p: string): PortProtocol | undefined => {
    const lower = p.toLowerCase();
    return HTTP_FAMILY.has(lower) ? 'http' : OTHER_KNOWN.has(lower) ? 'tcp' : undefined;
  };
  if (port.appProtocol !== undefined) return classify(port.appProtocol) ?? 'undeclared';
  const prefix = port.name?.split('-')[0];
  return prefix === undefined ? 'undeclared' : classify(prefix) ?? 'undeclared';
}

/**
 * The protocol of the destination pod's container port: from the Service the flow was addressed to, else
 * from the first Service selecting the pod whose target is that port; undeclared when none declares it.
 */
export function inboundPortProtocol(index: MeshIndex, dest: Workload, containerPort: number, service?: { readonly service: MeshService; readonly port: number }): PortProtocol {
  if (service) {
    const sp = service.service.ports.find((p) => p.port === service.port);
    if (sp) return servicePortProtocol(sp);
  }
  for (const svc of index.servicesByEndpoint.get(dest.uid) ?? []) {
    const sp = svc.ports.find((p) => targetPortOf(p.targetPort, dest, p.port) === containerPort);
    if (sp) return servicePortProtocol(sp);
  }
  return 'undeclared';
}
