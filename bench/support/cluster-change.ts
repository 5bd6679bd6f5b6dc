/**
 * A realistic configuration change of the benchmark cluster, for `bench:diff`: a clean-up that removes
 * every tenth AuthorizationPolicy, one namespace made STRICT, and a waypoint added to another namespace
 * (the Gateway and the namespace's `istio.io/use-waypoint` label).
 */
import type { Cluster, Namespace } from '../../src/model/cluster.js';

export interface ClusterChange {
  readonly cluster: Cluster;
  /** What changed, in words, for the benchmark's output. */
  readonly description: string;
}

/** The first namespace with no STRICT PeerAuthentication, and the first with no waypoint. */
function targets(cluster: Cluster): { strict: string; waypoint: string } {
  const strictNs = new Set(cluster.peerAuthentications.filter((p) => p.spec.mtls?.mode === 'STRICT').map((p) => p.meta.ref.namespace));
  const waypointNs = new Set(cluster.gateways.map((g) => g.meta.ref.namespace));
  const names = cluster.namespaces.map((n) => n.meta.ref.name);
  const strict = names.find((n) => !strictNs.has(n));
  const waypoint = names.find((n) => !waypointNs.has(n) && n !== strict);
  if (strict === undefined || waypoint === undefined) throw new Error('the cluster has no namespace left to change');
  return { strict, waypoint };
}

/** `cluster` after the change; the input is not modified. */
export function changeCluster(cluster: Cluster): ClusterChange {
  const { strict, waypoint } = targets(cluster);
  const source = { file: 'change.yaml', document: 0, line: 1 };
  const authorizationPolicies = cluster.authorizationPolicies.filter((_, i) => i % 10 !== 9);
  const removed = cluster.authorizationPolicies.length - authorizationPolicies.length;
  const namespaces = cluster.namespaces.map((n): Namespace => (n.meta.ref.name === waypoint ? { ...n, meta: { ...n.meta, labels: { ...n.meta.labels, 'istio.io/use-waypoint': 'waypoint' } } } : n));
  const gatewayIp = `10.98.${cluster.namespaces.findIndex((n) => n.meta.ref.name === waypoint)}.1`;
  return {
    cluster: {
      ...cluster, namespaces, authorizationPolicies,
      peerAuthentications: [...cluster.peerAuthentications, { kind: 'PeerAuthentication', meta: { ref: { kind: 'PeerAuthentication', namespace: strict, name: 'default' }, source, labels: {}, annotations: {} }, spec: { mtls: { mode: 'STRICT' } } }],
      gateways: [...cluster.gateways, { kind: 'Gateway', meta: { ref: { kind: 'Gateway', namespace: waypoint, name: 'waypoint' }, source, labels: {}, annotations: {} }, gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutesFrom: 'Same' }], statusAddresses: [gatewayIp] }],
    },
    description: `${removed} of ${cluster.authorizationPolicies.length} AuthorizationPolicies removed, namespace ${strict} made STRICT, a waypoint added to namespace ${waypoint}`,
  };
}
