import type fc from 'fast-check';
import type { Cluster } from '../../src/model/cluster.js';
import { clusterWithPolicies, smallAuthorizationPolicy, smallClusterFlow, type SmallClusterOptions } from '../../src/generate/index.js';

/** The engine's own test arbitraries now live in src/generate (exported as `ambient-bench/testing`). */
export const authorizationPolicy = smallAuthorizationPolicy;
export const flowArbitrary = smallClusterFlow;

/** A random small cluster with policies and PeerAuthentications unless turned off. */
export function clusterArbitrary(options: SmallClusterOptions = {}): fc.Arbitrary<Cluster> {
  return clusterWithPolicies(options);
}
