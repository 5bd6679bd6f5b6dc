/**
 * The benchmark cluster as Kubernetes objects, the way `kubectl get -A -o json` prints them (one
 * `kind: List`), so that the CLI reads the same cluster the in-memory benchmarks build.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { AuthorizationPolicy, Cluster, Gateway, Namespace, Node, ObjectMeta, PeerAuthentication, Pod, Service } from '../../src/model/cluster.js';

type Manifest = Record<string, unknown>;

function metadata(meta: ObjectMeta): Manifest {
  return {
    name: meta.ref.name,
    ...(meta.ref.namespace !== undefined ? { namespace: meta.ref.namespace } : {}),
    ...(Object.keys(meta.labels).length > 0 ? { labels: meta.labels } : {}),
    ...(Object.keys(meta.annotations).length > 0 ? { annotations: meta.annotations } : {}),
  };
}

function namespace(n: Namespace): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: metadata(n.meta) };
}

function node(n: Node): Manifest {
  return { apiVersion: 'v1', kind: 'Node', metadata: metadata(n.meta), status: { addresses: n.addresses.map((address) => ({ type: 'InternalIP', address })) } };
}

/** A pod with its controller as an owner reference: the synthetic pods are named as a StatefulSet names them. */
function pod(p: Pod): Manifest {
  const md = metadata(p.meta);
  const owner = p.owner?.split('/')[1];
  if (owner !== undefined) md['ownerReferences'] = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: owner, controller: true }];
  const ports = p.template.ports.map((c) => ({ ...(c.name !== undefined ? { name: c.name } : {}), containerPort: c.containerPort, protocol: c.protocol }));
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: md,
    spec: {
      serviceAccountName: p.template.serviceAccount, ...(p.template.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.nodeName !== undefined ? { nodeName: p.nodeName } : {}), containers: [{ name: 'app', image: 'app:1', ports }],
    },
    status: { phase: 'Running', ...(p.ips[0] !== undefined ? { podIP: p.ips[0] } : {}), podIPs: p.ips.map((ip) => ({ ip })) },
  };
}

function service(s: Service): Manifest {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: metadata(s.meta),
    spec: {
      type: s.type, ...(s.clusterIPs[0] !== undefined ? { clusterIP: s.clusterIPs[0] } : {}), clusterIPs: s.clusterIPs,
      ...(s.selector ? { selector: s.selector } : {}),
      ports: s.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), port: p.port, targetPort: p.targetPort, protocol: p.protocol, ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}) })),
    },
  };
}

function gateway(g: Gateway): Manifest {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: metadata(g.meta),
    spec: {
      gatewayClassName: g.gatewayClassName,
      listeners: g.listeners.map((l) => ({ name: l.name, port: l.port, protocol: l.protocol, allowedRoutes: { namespaces: { from: l.allowedRoutesFrom, ...(l.allowedRoutesSelector ? { selector: l.allowedRoutesSelector } : {}) } } })),
    },
    status: { addresses: g.statusAddresses.map((value) => ({ type: 'IPAddress', value })) },
  };
}

/** The model keeps Istio's own spec shape, so a policy is written back as it was read. */
function securityObject(p: AuthorizationPolicy | PeerAuthentication): Manifest {
  return { apiVersion: 'security.istio.io/v1', kind: p.kind, metadata: metadata(p.meta), spec: p.spec };
}

/** Every object of the cluster the synthetic generator fills (no controllers, service accounts or mesh config). */
export function clusterManifests(cluster: Cluster): Manifest[] {
  const unsupported = cluster.controllers.length + cluster.serviceAccounts.length + cluster.gatewayClasses.length + cluster.requestAuthentications.length;
  if (unsupported > 0) throw new Error('clusterManifests() writes namespaces, nodes, pods, services, gateways and security policies only');
  return [
    ...cluster.namespaces.map(namespace), ...cluster.nodes.map(node), ...cluster.services.map(service), ...cluster.pods.map(pod),
    ...cluster.gateways.map(gateway), ...cluster.peerAuthentications.map(securityObject), ...cluster.authorizationPolicies.map(securityObject),
  ];
}

/** Object counts by kind, as `validate -o json` reports them in `summary.objects`. */
export function countByKind(objects: readonly Manifest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o['kind'] as string] = (counts[o['kind'] as string] ?? 0) + 1;
  return counts;
}

/** Writes the objects as one JSON `kind: List` (`.json`) or as multi-document YAML (`.yaml`). */
export function writeManifests(file: string, objects: readonly Manifest[]): void {
  if (file.endsWith('.json')) writeFileSync(file, `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, null, 2)}\n`);
  else writeFileSync(file, objects.map((o) => stringify(o, { aliasDuplicateObjects: false, lineWidth: 0 })).join('---\n'));
}
