import type { Cluster, ClusterObject, Controller, ObjectMeta, Pod } from '../../model/cluster.js';
import type { ObjectRef } from '../../model/source.js';

/** Kinds without a namespace. */
const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'GatewayClass']);
const CONTROLLER_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Every object of a cluster in one list, in the cluster's list order. */
export function clusterObjects(cluster: Cluster): ClusterObject[] {
  return [
    ...cluster.namespaces, ...cluster.nodes, ...cluster.pods, ...cluster.controllers, ...cluster.services,
    ...cluster.serviceAccounts, ...cluster.gateways, ...cluster.gatewayClasses, ...cluster.authorizationPolicies,
    ...cluster.peerAuthentications, ...cluster.requestAuthentications, ...(cluster.envoyFilters ?? []),
  ];
}

/** A cluster with its object lists replaced by `objects`; mesh config, istiod env and skipped objects kept. */
export function withObjects(cluster: Cluster, objects: readonly ClusterObject[]): Cluster {
  const of = <K extends ClusterObject['kind']>(...kinds: K[]) => objects.filter((o) => (kinds as string[]).includes(o.kind)) as never[];
  const envoyFilters = of('EnvoyFilter');
  return {
    ...cluster,
    namespaces: of('Namespace'), nodes: of('Node'), pods: of('Pod'),
    controllers: of('Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'),
    services: of('Service'), serviceAccounts: of('ServiceAccount'), gateways: of('Gateway'),
    gatewayClasses: of('GatewayClass'), authorizationPolicies: of('AuthorizationPolicy'),
    peerAuthentications: of('PeerAuthentication'), requestAuthentications: of('RequestAuthentication'),
    ...(cluster.envoyFilters !== undefined || envoyFilters.length > 0 ? { envoyFilters } : {}),
  };
}

/** `Kind/namespace/name`, the identity "same kind/namespace/name replaces" uses. */
export function objectKey(ref: ObjectRef): string {
  return `${ref.kind}/${CLUSTER_SCOPED.has(ref.kind) ? '' : ref.namespace ?? 'default'}/${ref.name}`;
}

/** Whether a kind is cluster-scoped (Namespace, Node, GatewayClass). */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** Whether a kind is a pod controller (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job). */
export function isControllerKind(kind: string): kind is Controller['kind'] {
  return CONTROLLER_KINDS.has(kind);
}

/** `namespace/name` of a namespaced object, as `Pod.owner` names controllers. */
export function ownerKey(ref: ObjectRef): string {
  return `${ref.namespace ?? 'default'}/${ref.name}`;
}

/** Whether a pod belongs to the controller `namespace/name`. */
export function ownedBy(pod: Pod, owner: string): boolean {
  return pod.owner === owner;
}

/** An object with its metadata changed by `edit`; kind-specific parts (pod templates) stay as they are. */
export function withMeta<T extends ClusterObject>(object: T, edit: (meta: ObjectMeta) => ObjectMeta): T {
  return { ...object, meta: edit(object.meta) };
}
