import fc from 'fast-check';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import { resolveDestination, resolveSource } from '../dataplane/route/endpoints.js';
import type { Flow, Transport } from '../model/flow.js';
import type { L4Transport } from './declared-ports.js';
import { destinationArbitrary, type PortScope } from './flow-destinations.js';
import type { Focus } from './focus.js';
import { sourceArbitrary } from './flow-sources.js';
import { requestArbitrary } from './http-requests.js';
import { ruleDirectedArbitrary } from './rule-flows.js';
import { indexOf, type MeshTarget } from './mesh-target.js';
import { policyVocabulary } from './policy-vocabulary.js';

export interface FlowsOverOptions {
  /** The id of every generated flow (Service traffic picks its endpoint by flow id). Default `generated`. */
  readonly id?: string;
  /** Generate UDP flows too, to ports declared for UDP (ztunnel does not capture them). Default true. */
  readonly udp?: boolean;
  /**
   * Also draw ports and protocols the manifests do not declare: pods on each port a policy names and
   * its neighbours (and port 80 on a pod that declares none), and TCP, HTTP and UDP to any port.
   * Default false: flows use only the ports the manifests declare, each over its declared protocol
   * (`workloadPorts`, `servicePorts`), so every counterexample is a flow the cluster could carry.
   */
  readonly undeclaredPorts?: boolean;
  /** Host-network clients at node addresses (on the destination's node they skip ztunnel). Default true. */
  readonly nodes?: boolean;
  /** Flows from a pod to itself (loopback is not captured). Default false. */
  readonly loopback?: boolean;
  /** Sources and destinations to lean toward (`ns/name`, `ns/*`); the rest of the mesh is still drawn, less often. */
  readonly focus?: Focus;
}

/**
 * Flows over a cluster, biased toward the boundaries of its own policies: the principals, namespaces,
 * service accounts, ports, IP blocks, methods, paths, hosts and header values its rules name, and the
 * near miss of each (the next port, a path just outside a prefix, the same service account in another
 * namespace, an IP just outside a CIDR, another method); a third of the flows aim at one rule of one
 * policy, each field inside it or just outside it. Sources inside and outside the mesh; Service,
 * cluster-IP and pod-IP addressing, on the ports and protocols the manifests declare unless
 * `undeclaredPorts` is set; no pod calls itself unless `loopback` is set. Shrinks toward a plain
 * TCP flow from a workload to the first Service port.
 */
export function flowsOver(target: MeshTarget, options: FlowsOverOptions = {}): fc.Arbitrary<Flow> {
  const index = indexOf(target);
  const vocabulary = policyVocabulary(index.mesh);
  const scope: PortScope = { undeclared: options.undeclaredPorts === true, udp: options.udp !== false };
  const protocols: fc.WeightedArbitrary<Transport>[] = [
    { arbitrary: fc.constant('tcp'), weight: 3 },
    { arbitrary: fc.constant('http'), weight: 4 },
    ...(scope.udp ? [{ arbitrary: fc.constant<Transport>('udp'), weight: 1 }] : []),
  ];
  const free = fc.record({
    source: sourceArbitrary(index, vocabulary, { nodes: options.nodes !== false, focus: options.focus?.sources ?? [] }),
    destination: destinationArbitrary(index, vocabulary, scope, options.focus?.destinations),
    protocol: fc.oneof({ withCrossShrink: true }, ...protocols),
    http: requestArbitrary(vocabulary),
  }).map(({ source, destination: d, protocol: drawn, http }): Flow => {
    const protocol = fittedProtocol(drawn, d.transports);
    return {
      id: options.id ?? 'generated', source, destination: d.destination, protocol,
      ...(protocol === 'http' ? { http } : {}),
      time: 0, origin: { kind: 'generated' },
    };
  });
  const directed = ruleDirectedArbitrary(index, scope)?.map((p): Flow => ({
    id: options.id ?? 'generated', source: p.source, destination: p.destination, protocol: p.http ? 'http' : 'tcp',
    ...(p.http ? { http: p.http } : {}), time: 0, origin: { kind: 'generated' },
  }));
  // Free draws first: shrinking moves toward them, and from there toward the simplest flow.
  const flows = directed ? fc.oneof({ withCrossShrink: true }, { arbitrary: free, weight: 2 }, { arbitrary: directed, weight: 1 }) : free;
  return options.loopback === true ? flows : flows.filter((f) => !isLoopback(f, index));
}

/** The drawn protocol when the port declares its transport (HTTP rides on TCP), else the port's own transport. */
function fittedProtocol(drawn: Transport, transports: readonly L4Transport[]): Transport {
  const needs: L4Transport = drawn === 'udp' ? 'udp' : 'tcp';
  if (transports.includes(needs)) return drawn;
  return transports[0] ?? drawn;
}

/** A flow whose source pod is the pod it reaches, or one of the endpoints of the Service it calls (whatever its id). */
function isLoopback(flow: Flow, index: MeshIndex): boolean {
  const src = resolveSource(flow.source, index);
  if (src.kind !== 'workload') return false;
  const dst = resolveDestination(flow, index);
  if (dst.kind === 'service') return dst.service.endpoints.includes(src.workload.uid);
  return dst.kind === 'workload' && dst.workload === src.workload;
}
