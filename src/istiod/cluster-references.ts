import type { Cluster, ObjectMeta, Pod } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { isIpAddress } from './ip-text.js';

/**
 * Namespaces every cluster has without a manifest: `default` and the system namespaces the API server
 * creates itself (kubernetes pkg/controlplane/controller/systemnamespaces: kube-system, kube-public,
 * kube-node-lease).
 */
const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * What the manifests refer to but do not hold, and addresses that are no addresses: objects in a
 * namespace the manifests lack (only when they define namespaces at all: a partial export of a few
 * objects names namespaces it does not carry, and saying so for each would be noise), pods bound to a
 * node the manifests lack (only when they define nodes), and pod or host IPs that do not parse.
 * One diagnostic per missing namespace or node, at the first object that names it.
 */
export function clusterReferenceDiagnostics(cluster: Cluster): Diagnostic[] {
  return [...missingNamespaces(cluster), ...missingNodes(cluster), ...cluster.pods.flatMap(addressProblems)];
}

function missingNamespaces(cluster: Cluster): Diagnostic[] {
  if (cluster.namespaces.length === 0) return [];
  const defined = new Set(cluster.namespaces.map((n) => n.meta.ref.name));
  const metas: ObjectMeta[] = [
    ...cluster.pods.filter((p) => p.generated !== true).map((p) => p.meta), ...cluster.controllers.map((c) => c.meta),
    ...cluster.services.map((s) => s.meta), ...cluster.serviceAccounts.map((s) => s.meta), ...cluster.gateways.map((g) => g.meta),
    ...cluster.authorizationPolicies.map((p) => p.meta), ...cluster.peerAuthentications.map((p) => p.meta),
    ...cluster.requestAuthentications.map((p) => p.meta),
  ];
  const byNamespace = new Map<string, ObjectMeta[]>();
  for (const m of metas) {
    const ns = m.ref.namespace ?? 'default';
    if (defined.has(ns) || BUILT_IN_NAMESPACES.has(ns)) continue;
    const list = byNamespace.get(ns);
    if (list) list.push(m);
    else byNamespace.set(ns, [m]);
  }
  return [...byNamespace].sort(([a], [b]) => a.localeCompare(b)).map(([ns, list]) => {
    const first = firstInFileOrder(list);
    const { file, line } = first.source;
    const others = list.length > 1 ? ` and ${list.length - 1} other object${list.length > 2 ? 's' : ''}` : '';
    return {
      severity: 'warning', code: 'unknown-namespace', object: `${first.ref.kind} ${ns}/${first.ref.name}`, file, line,
      message: `${first.ref.kind} ${ns}/${first.ref.name} (${file}:${line})${others} ${list.length > 1 ? 'are' : 'is'} in namespace ${ns}, which the manifests do not define; the API server refuses objects in a namespace that does not exist (NamespaceLifecycle admission). The simulation keeps them, in a namespace without labels (so nothing there is enrolled by a namespace label). Add the Namespace ${ns} to the manifests, or check the name`,
    };
  });
}

function missingNodes(cluster: Cluster): Diagnostic[] {
  if (cluster.nodes.length === 0) return [];
  const defined = new Set(cluster.nodes.map((n) => n.meta.ref.name));
  const byNode = new Map<string, Pod[]>();
  for (const p of cluster.pods) {
    if (p.generated === true || p.nodeName === undefined || p.nodeName === '' || defined.has(p.nodeName)) continue;
    const list = byNode.get(p.nodeName);
    if (list) list.push(p);
    else byNode.set(p.nodeName, [p]);
  }
  return [...byNode].sort(([a], [b]) => a.localeCompare(b)).map(([node, pods]) => {
    const first = firstInFileOrder(pods.map((p) => p.meta));
    const { file, line } = first.source;
    const name = `Pod ${first.ref.namespace ?? 'default'}/${first.ref.name}`;
    const others = pods.length > 1 ? ` and ${pods.length - 1} other pod${pods.length > 2 ? 's' : ''}` : '';
    return {
      severity: 'warning', code: 'unknown-node', object: name, file, line,
      message: `${name} (${file}:${line})${others} ${pods.length > 1 ? 'run' : 'runs'} on node ${node} (spec.nodeName), which the manifests do not define although they define ${cluster.nodes.length} node${cluster.nodes.length === 1 ? '' : 's'}; the export may be incomplete or the pod stale. Add the Node ${node} to the manifests, or check spec.nodeName`,
    };
  });
}

/**
 * A pod IP that does not parse makes istiod skip the pod (ambient/workloads.go `podWorkloadBuilder`:
 * "anyone could put garbage there"); a host IP that does not parse is only reported.
 */
function addressProblems(pod: Pod): Diagnostic[] {
  if (pod.generated === true) return [];
  const name = `Pod ${pod.meta.ref.namespace ?? 'default'}/${pod.meta.ref.name}`;
  const { file, line } = pod.meta.source;
  const out: Diagnostic[] = [];
  for (const ip of pod.ips.filter((x) => !isIpAddress(x))) {
    out.push({ severity: 'warning', code: 'invalid-pod-ip', object: name, file, line, message: `${name} (${file}:${line}): status.podIP or status.podIPs holds ${JSON.stringify(ip)}, which is not an IP address; istiod makes no workload of a pod whose IPs do not parse, so the simulation leaves the pod out. Fix the address` });
  }
  for (const ip of (pod.hostIps ?? []).filter((x) => !isIpAddress(x))) {
    out.push({ severity: 'warning', code: 'invalid-pod-ip', object: name, file, line, message: `${name} (${file}:${line}): status.hostIP or status.hostIPs holds ${JSON.stringify(ip)}, which is not an IP address. Fix the address` });
  }
  return out;
}

function firstInFileOrder(metas: readonly ObjectMeta[]): ObjectMeta {
  return metas.reduce((a, b) => (b.source.file < a.source.file || (b.source.file === a.source.file && b.source.line < a.source.line) ? b : a));
}
