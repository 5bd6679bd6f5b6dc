import { EMPTY_CLUSTER, type AuthorizationPolicy, type Cluster, type ClusterObject, type Gateway, type Namespace, type Node, type ObjectMeta, type PeerAuthentication, type Pod, type Service } from '../model/cluster.js';
import type { Labels } from '../model/labels.js';
import type { AuthorizationPolicySpec, MtlsMode } from '../model/policy.js';

/** Model objects for generated clusters, with provenance `generated.yaml`. */

const SOURCE = { file: 'generated.yaml', document: 0, line: 1 };

function meta(kind: string, namespace: string | undefined, name: string, labels: Labels = {}, annotations: Labels = {}): ObjectMeta {
  return { ref: namespace === undefined ? { kind, name } : { kind, namespace, name }, source: SOURCE, labels, annotations };
}

function split(ref: string): [string, string] {
  const i = ref.indexOf('/');
  return [ref.slice(0, i), ref.slice(i + 1)];
}

export function namespaceObject(name: string, labels: Labels = {}): Namespace {
  return { kind: 'Namespace', meta: meta('Namespace', undefined, name, labels) };
}

export function nodeObject(name: string, ip: string): Node {
  return { kind: 'Node', meta: meta('Node', undefined, name), addresses: [ip] };
}

/** A pod `ns/name` labelled `app: <name>`, service account `<name>`, container port 8080. */
export function podObject(ref: string, ip: string, node: string): Pod {
  const [ns, name] = split(ref);
  const labels = { app: name };
  return {
    kind: 'Pod', meta: meta('Pod', ns, name, labels),
    template: { labels, annotations: {}, serviceAccount: name, hostNetwork: false, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
    nodeName: node, ips: [ip],
  };
}

/** A Service `ns/name` selecting `app: <name>`, port 80 to target port 8080. */
export function serviceObject(ref: string, vip: string): Service {
  const [ns, name] = split(ref);
  return {
    kind: 'Service', meta: meta('Service', ns, name), clusterIPs: [vip], selector: { app: name },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], type: 'ClusterIP',
  };
}

/** A ready waypoint Gateway `ns/name` for Service traffic. */
export function waypointObject(ref: string, address: string): Gateway {
  const [ns, name] = split(ref);
  return {
    kind: 'Gateway', meta: meta('Gateway', ns, name), gatewayClassName: 'istio-waypoint',
    listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutesFrom: 'Same' }], statusAddresses: [address],
  };
}

export function authorizationPolicyObject(ref: string, spec: Partial<AuthorizationPolicySpec>, annotations: Labels = {}): AuthorizationPolicy {
  const [ns, name] = split(ref);
  return { kind: 'AuthorizationPolicy', meta: meta('AuthorizationPolicy', ns, name, {}, annotations), spec: { action: 'ALLOW', ...spec } };
}

export function peerAuthenticationObject(ref: string, mode: MtlsMode): PeerAuthentication {
  const [ns, name] = split(ref);
  return { kind: 'PeerAuthentication', meta: meta('PeerAuthentication', ns, name), spec: { mtls: { mode } } };
}

/** A cluster of the given objects, sorted into their lists. */
export function clusterOf(objects: readonly ClusterObject[]): Cluster {
  const of = <K extends ClusterObject['kind']>(kind: K) => objects.filter((o) => o.kind === kind) as never[];
  return {
    ...EMPTY_CLUSTER,
    namespaces: of('Namespace'), nodes: of('Node'), pods: of('Pod'), services: of('Service'), gateways: of('Gateway'),
    authorizationPolicies: of('AuthorizationPolicy'), peerAuthentications: of('PeerAuthentication'),
  };
}
