import fc from 'fast-check';
import type { Flow, Transport } from '../model/flow.js';
import { destinationArbitrary } from './flow-destinations.js';
import { sourceArbitrary } from './flow-sources.js';
import { requestArbitrary } from './http-requests.js';
import { indexOf, type MeshTarget } from './mesh-target.js';
import { policyVocabulary } from './policy-vocabulary.js';

export interface FlowsOverOptions {
  /** The id of every generated flow (Service traffic picks its endpoint by flow id). Default `generated`. */
  readonly id?: string;
  /** Generate UDP flows too (ztunnel does not capture them). Default true. */
  readonly udp?: boolean;
}

/**
 * Flows over a cluster, biased toward the boundaries of its own policies: the principals, namespaces,
 * service accounts, ports, IP blocks, methods, paths, hosts and header values its rules name, and the
 * near miss of each (the next port, a path just outside a prefix, the same service account in another
 * namespace, an IP just outside a CIDR, another method). Sources inside and outside the mesh; Service,
 * cluster-IP and pod-IP addressing. Shrinks toward a TCP flow from the first workload to the first
 * Service port.
 */
export function flowsOver(target: MeshTarget, options: FlowsOverOptions = {}): fc.Arbitrary<Flow> {
  const index = indexOf(target);
  const vocabulary = policyVocabulary(index.mesh);
  const protocols: fc.WeightedArbitrary<Transport>[] = [
    { arbitrary: fc.constant('tcp'), weight: 3 },
    { arbitrary: fc.constant('http'), weight: 4 },
    ...(options.udp === false ? [] : [{ arbitrary: fc.constant<Transport>('udp'), weight: 1 }]),
  ];
  return fc.record({
    source: sourceArbitrary(index, vocabulary),
    destination: destinationArbitrary(index, vocabulary),
    protocol: fc.oneof({ withCrossShrink: true }, ...protocols),
    http: requestArbitrary(vocabulary),
  }).map(({ source, destination, protocol, http }): Flow => ({
    id: options.id ?? 'generated', source, destination, protocol,
    ...(protocol === 'http' ? { http } : {}),
    time: 0, origin: { kind: 'generated' },
  }));
}
