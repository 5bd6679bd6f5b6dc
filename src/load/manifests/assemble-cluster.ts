import type { Cluster, ClusterObject, Controller, ControllerKind, IstiodEnv, MeshConfig, ObjectMeta, Pod, SkippedObject } from '../../model/cluster.js';
import { EMPTY_CLUSTER } from '../../model/cluster.js';
import { expandControllers } from './expand-controllers.js';

/** What the loader gathered from every file, in file and document order. */
export interface GatheredObjects {
  readonly objects: readonly ClusterObject[];
  readonly skipped: SkippedObject[];
  /** `namespace/name` of a ReplicaSet to `namespace/name` of the Deployment that made it. */
  readonly rsOwner: ReadonlyMap<string, string>;
  readonly podOwnerRefs: readonly { pod: Pod; kind: string; name: string }[];
  readonly meshConfig: MeshConfig;
  readonly istiodEnv: IstiodEnv;
}

type Of<K extends ClusterObject['kind']> = Extract<ClusterObject, { kind: K }>;

const CONTROLLERS: ReadonlySet<string> = new Set<ControllerKind>(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * The Cluster of the gathered objects: each kind in `namespace/name` order (`localeCompare`, stable),
 * pods with their top-level controller, controllers without pods expanded into pods.
 */
export function assembleCluster(gathered: GatheredObjects): { cluster: Cluster; generated: number } {
  const { objects, rsOwner, podOwnerRefs } = gathered;
  const byKind = new Map<string, ClusterObject[]>();
  for (const o of objects) {
    const kind = CONTROLLERS.has(o.kind) ? 'controller' : o.kind;
    const list = byKind.get(kind);
    if (list) list.push(o);
    else byKind.set(kind, [o]);
  }
  const of = <K extends ClusterObject['kind']>(kind: K | 'controller'): Of<K>[] => sortedByKey((byKind.get(kind) ?? []) as Of<K>[]);
  const owners = new Map(podOwnerRefs.map(({ pod, kind, name }) => [pod, ownerKey(pod, kind, name, rsOwner)]));
  const pods = of('Pod').map((p) => (owners.get(p) ? { ...p, owner: owners.get(p) as string } : p));
  const controllers = of('controller') as Controller[];
  const nodes = of('Node');
  const services = of('Service');
  const taken = new Set<string>();
  for (const p of pods) for (const ip of p.ips) taken.add(ip);
  for (const s of services) for (const ip of s.clusterIPs) taken.add(ip);
  for (const n of nodes) for (const ip of n.addresses) taken.add(ip);
  const generated = expandControllers(controllers, pods, nodes, taken, new Set(rsOwner.keys()));
  return {
    cluster: {
      ...EMPTY_CLUSTER,
      namespaces: of('Namespace'), nodes, pods: generated.length === 0 ? pods : sortedByKey([...pods, ...generated]), controllers,
      services, serviceAccounts: of('ServiceAccount'), gateways: of('Gateway'), gatewayClasses: of('GatewayClass'),
      authorizationPolicies: of('AuthorizationPolicy'), peerAuthentications: of('PeerAuthentication'), requestAuthentications: of('RequestAuthentication'),
      envoyFilters: of('EnvoyFilter'), meshConfig: gathered.meshConfig, istiodEnv: gathered.istiodEnv, skipped: gathered.skipped,
    },
    generated: generated.length,
  };
}

/** `namespace/name` of an object, `default` for an object without a namespace. */
export function objectKey(meta: ObjectMeta): string {
  return `${meta.ref.namespace ?? 'default'}/${meta.ref.name}`;
}

/** The objects in `localeCompare` order of their keys, ties in their given order; each key built once. */
function sortedByKey<T extends ClusterObject>(items: readonly T[]): T[] {
  const keyed = items.map((item) => ({ item, key: objectKey(item.meta) }));
  keyed.sort((a, b) => a.key.localeCompare(b.key));
  return keyed.map((k) => k.item);
}

/** The top-level controller of a pod: through its ReplicaSet to the Deployment when known. */
function ownerKey(pod: Pod, kind: string, name: string, rsOwner: ReadonlyMap<string, string>): string {
  const ns = pod.meta.ref.namespace ?? 'default';
  if (kind !== 'ReplicaSet') return `${ns}/${name}`;
  const known = rsOwner.get(`${ns}/${name}`);
  if (known) return known;
  const hash = pod.meta.labels['pod-template-hash'];
  return hash && name.endsWith(`-${hash}`) ? `${ns}/${name.slice(0, -hash.length - 1)}` : `${ns}/${name}`;
}
