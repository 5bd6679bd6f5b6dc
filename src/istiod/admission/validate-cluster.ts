import type { Cluster } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { validateAuthorizationPolicy } from './validate-authorization-policy.js';
import { validatePeerAuthentication, validateRequestAuthentication } from './validate-peer-authentication.js';

/**
 * Runs istiod's admission checks over every policy; objects with an error are left out, as the
 * cluster's webhook would have refused them. Warnings keep the object.
 */
export function validateCluster(cluster: Cluster): { cluster: Cluster; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const keep = <T>(items: readonly T[], check: (item: T) => Diagnostic[]): T[] =>
    items.filter((item) => {
      const d = check(item);
      for (const x of d) diagnostics.push(x);
      return !d.some((x) => x.severity === 'error');
    });
  return {
    cluster: {
      ...cluster,
      authorizationPolicies: keep(cluster.authorizationPolicies, (p) => validateAuthorizationPolicy(p, { meshConfig: cluster.meshConfig })),
      peerAuthentications: keep(cluster.peerAuthentications, validatePeerAuthentication),
      requestAuthentications: keep(cluster.requestAuthentications, validateRequestAuthentication),
    },
    diagnostics,
  };
}
