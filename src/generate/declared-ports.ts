import type { MeshIndex } from '../dataplane/mesh-index.js';
import { targetPortOf } from '../dataplane/route/endpoints.js';
import { namedTargetPort } from '../dataplane/route/service-delivery.js';
import type { MeshService, Workload } from '../model/mesh.js';

/** The layer-4 transports a generated flow can use (`http` rides on `tcp`). SCTP has no flow transport. */
export type L4Transport = 'tcp' | 'udp';

/** A port number and the transports the manifests declare for it. */
export interface DeclaredPort {
  readonly port: number;
  readonly transports: readonly L4Transport[];
}

/**
 * The transport a Kubernetes port protocol stands for: `TCP` (the API default) and `UDP`; `SCTP`
 * (and anything else) none, since flows are TCP, HTTP or UDP (k8s.io/api core/v1 types.go:
 * `ServicePort.Protocol`, `ContainerPort.Protocol`, "Must be UDP, TCP, or SCTP. Defaults to TCP").
 */
export function transportOf(protocol: string): L4Transport | undefined {
  if (protocol === 'TCP') return 'tcp';
  if (protocol === 'UDP') return 'udp';
  return undefined;
}

/**
 * The ports a Service declares, each with its transports: a Service port is a (port, protocol) pair,
 * and kube-proxy programs one rule per pair, so UDP to a TCP-only port reaches nothing
 * (kubernetes pkg/proxy/iptables/proxier.go, `syncProxyRules`: `-p protocol --dport port` per
 * ServicePort). Two entries for one number (DNS on 53/UDP and 53/TCP) join into one.
 */
export function servicePorts(s: MeshService): DeclaredPort[] {
  return joined(s.ports.map((p) => [p.port, transportOf(p.protocol)]));
}

/**
 * What the manifests declare a pod serves: its container ports with their protocols, and the target
 * port of every Service port that selects it, with that Service port's protocol (the endpoint port
 * takes the Service port's protocol, and a named target port resolves to the pod's container port of
 * that name: kubernetes staging/src/k8s.io/endpointslice/utils.go `getEndpointPorts`, `FindPort`). Container ports are informational ("Not specifying a port
 * here DOES NOT prevent that port from being exposed", core/v1 `Container.Ports`): ports beyond
 * these are what `undeclaredPorts` adds.
 */
export function workloadPorts(w: Workload, index: MeshIndex): DeclaredPort[] {
  const own = w.ports.map((p): [number, L4Transport | undefined] => [p.containerPort, transportOf(p.protocol)]);
  // The target port as the simulator reads it (targetPortOf: a number, numeric text, or a declared name).
  const targeted = (index.servicesByEndpoint.get(w.uid) ?? []).flatMap((s) => s.ports.map((p): [number | undefined, L4Transport | undefined] => {
    const name = namedTargetPort(p.targetPort);
    const port = name === undefined || w.ports.some((c) => c.name === name) ? targetPortOf(p.targetPort, w, p.port) : undefined;
    return [port, transportOf(p.protocol)];
  }));
  return joined([...own, ...targeted]);
}

/** Pairs joined by port number, in order of first appearance; pairs without a port or transport are left out. */
function joined(pairs: readonly (readonly [number | undefined, L4Transport | undefined])[]): DeclaredPort[] {
  const byPort = new Map<number, L4Transport[]>();
  for (const [port, transport] of pairs) {
    if (port === undefined || transport === undefined) continue;
    const list = byPort.get(port) ?? [];
    if (!list.includes(transport)) list.push(transport);
    byPort.set(port, list);
  }
  return [...byPort].map(([port, transports]) => ({ port, transports }));
}
