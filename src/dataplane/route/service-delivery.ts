import type { Transport } from '../../model/flow.js';
import type { MeshService, MeshServicePort, Workload } from '../../model/mesh.js';

/**
 * Who turns a flow to a Service address into a flow to a pod. A captured (ambient) source's ztunnel
 * resolves the VIP itself (istio/ztunnel:src/state.rs `find_upstream`); every other client's packet
 * reaches kube-proxy's rules on the node.
 */
export type ServiceResolver = 'kube-proxy' | 'ztunnel';

/** Why a Service address has no port for a flow: no port of that number, or none for the flow's protocol. */
export type PortRefusal = { readonly kind: 'no-port' } | { readonly kind: 'protocol-undeclared'; readonly declared: string };

/** What a Service address delivers for one flow: a port and the endpoints serving it, or why nothing. */
export type PortDelivery<T> =
  | PortRefusal
  | { readonly kind: 'target-port-undeclared'; readonly targetPort: string }
  | { readonly kind: 'delivered'; readonly port: MeshServicePort; readonly endpoints: readonly T[] };

/** The protocol a flow is carried over, as a Service port spells it. */
export function portProtocolOf(transport: Transport): 'TCP' | 'UDP' {
  return transport === 'udp' ? 'UDP' : 'TCP';
}

/**
 * The Service port a flow to `port` uses. kube-proxy's rules are per (cluster IP, protocol, port):
 * a port the Service declares only for other protocols matches no rule and the packet reaches nothing
 * (kubernetes pkg/proxy/iptables/proxier.go `syncProxyRules`, one KUBE-SVC chain per service port;
 * pkg/proxy/nftables/proxier.go, `cluster-ips-check` rejects "undefined ports of ClusterIPs").
 * istiod's Service for ztunnel keeps only (port, targetPort) pairs, no protocol
 * (pilot/pkg/serviceregistry/kube/controller/ambient/services.go `constructService`), and ztunnel
 * keys them by port number (src/state.rs `find_upstream_from_service`): a TCP flow from a captured
 * pod to a port declared only for UDP or SCTP is proxied like any other.
 */
export function servicePortFor(svc: MeshService, port: number, transport: Transport, resolver: ServiceResolver): PortRefusal | MeshServicePort {
  const protocol = portProtocolOf(transport);
  // ztunnel captures TCP only (cni/pkg/iptables/iptables.go `AppendInpodRules`): UDP always meets kube-proxy.
  const byZtunnel = resolver === 'ztunnel' && protocol === 'TCP';
  let numbered: MeshServicePort | undefined;
  for (const p of svc.ports) {
    if (p.port !== port) continue;
    if (!byZtunnel && p.protocol === protocol) return p;
    // ztunnel's port map is built from istiod's list: the last entry for a number wins.
    numbered = p;
  }
  if (numbered === undefined) return { kind: 'no-port' };
  return byZtunnel ? numbered : { kind: 'protocol-undeclared', declared: numbered.protocol };
}

/** A named `targetPort` (not a number, nor numeric text as `targetPortOf` reads it), else undefined. */
export function namedTargetPort(target: number | string): string | undefined {
  if (typeof target === 'number') return undefined;
  const asNumber = Number(target);
  return Number.isInteger(asNumber) && target !== '' ? undefined : target;
}

/**
 * Whether a pod serves a Service port. A named `targetPort` needs a container port of that name and of
 * the flow's protocol: Kubernetes `FindPort` (pkg/api/v1/pod/util.go) matches name and the service
 * port's protocol, and the EndpointSlice controller leaves the pod out of that port's endpoints when
 * it fails; istiod's `constructServices` (ambient/workloads.go, with `FindPortName` in helpers.go,
 * TCP ports only) drops the port from the pod's entry, and ztunnel's `load_balance` (src/state.rs)
 * then skips the pod ("it does not have service port"). On either path the protocol is the flow's.
 */
export function servesPort(workload: Workload, port: MeshServicePort, transport: Transport): boolean {
  const name = namedTargetPort(port.targetPort);
  if (name === undefined) return true;
  const protocol = portProtocolOf(transport);
  return workload.ports.some((p) => p.name === name && p.protocol === protocol);
}

/** {@link servicePortFor} and the endpoints that serve the port, in their given order. */
export function deliverServicePort<T>(
  svc: MeshService, port: number, transport: Transport, resolver: ServiceResolver, endpoints: readonly T[], workloadOf: (endpoint: T) => Workload,
): PortDelivery<T> {
  const found = servicePortFor(svc, port, transport, resolver);
  if ('kind' in found) return found;
  if (namedTargetPort(found.targetPort) === undefined || endpoints.length === 0) return { kind: 'delivered', port: found, endpoints };
  const serving = endpoints.filter((e) => servesPort(workloadOf(e), found, transport));
  if (serving.length === 0) return { kind: 'target-port-undeclared', targetPort: String(found.targetPort) };
  return { kind: 'delivered', port: found, endpoints: serving.length === endpoints.length ? endpoints : serving };
}
