import { withObjects, clusterObjects } from '../analysis/what-if/cluster-objects.js';
import type { Cluster, ClusterObject } from '../model/cluster.js';
import type { ObjectRef } from '../model/source.js';

/**
 * The fewest AuthorizationPolicies and PeerAuthentications that still produce a violation: removes
 * them one at a time, in the cluster's order, keeping each removal while `violates` still holds.
 * The result is 1-minimal (removing any one policy left makes the violation disappear), not
 * necessarily the global minimum. Pure.
 */
export function minimisePolicies(cluster: Cluster, violates: (candidate: Cluster) => boolean): { readonly cluster: Cluster; readonly policies: readonly ObjectRef[] } {
  const isPolicy = (o: ClusterObject) => o.kind === 'AuthorizationPolicy' || o.kind === 'PeerAuthentication';
  let objects = clusterObjects(cluster);
  let current = cluster;
  for (const policy of objects.filter(isPolicy)) {
    const without = objects.filter((o) => o !== policy);
    const candidate = withObjects(cluster, without);
    if (violates(candidate)) {
      objects = without;
      current = candidate;
    }
  }
  return { cluster: current, policies: objects.filter(isPolicy).map((o) => o.meta.ref) };
}

/** How many AuthorizationPolicies and PeerAuthentications a cluster has. */
export function policyCount(cluster: Cluster): number {
  return cluster.authorizationPolicies.length + cluster.peerAuthentications.length;
}
