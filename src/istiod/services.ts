import type { Cluster } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Labels } from '../model/labels.js';
import type { MeshService, Waypoint, Workload } from '../model/mesh.js';
import { labelsMatch } from '../match/labels.js';
import { bindWaypoint } from './waypoint-binding.js';

export const INGRESS_USE_WAYPOINT_LABEL = 'istio.io/ingress-use-waypoint';

/**
 * Services with their endpoints (pods of the namespace whose labels the selector matches) and waypoint.
 * `istio.io/ingress-use-waypoint` is read from the Service, falling back to the namespace
 * (istio/istio:pilot/pkg/serviceregistry/ambient/services.go `ingressUseWaypointFromLabels`).
 */
export function buildServices(
  cluster: Cluster,
  workloads: readonly Workload[],
  waypoints: ReadonlyMap<string, Waypoint>,
  namespaceLabelsOf: (ns: string) => Labels,
): { services: MeshService[]; diagnostics: Diagnostic[] } {
  const carrying = workloadsByLabel(workloads);
  const diagnostics: Diagnostic[] = [];
  const services = cluster.services.map((svc): MeshService => {
    const ns = svc.meta.ref.namespace ?? 'default';
    const key = `${ns}/${svc.meta.ref.name}`;
    // The EndpointSlice controller gives an ExternalName Service no endpoints, selector or not
    // (kubernetes pkg/controller/endpointslice/endpointslice_controller.go `syncService`).
    const selector = svc.externalName === undefined ? svc.selector : undefined;
    const first = selector === undefined ? undefined : Object.entries(selector)[0];
    const endpoints = selector === undefined || first === undefined
      ? []
      : carrying(ns, first[0], first[1]).filter((w) => isServiceEndpoint(w) && labelsMatch(selector, w.labels)).map((w) => w.uid);
    if (first !== undefined && endpoints.length === 0) {
      diagnostics.push({
        severity: 'warning', code: 'service-selects-nothing', object: `Service ${key}`,
        file: svc.meta.source.file, line: svc.meta.source.line,
        message: `Service ${key} (${svc.meta.source.file}:${svc.meta.source.line}) selects no pod: no pod in ${ns} has labels ${JSON.stringify(selector)}; flows to it are refused`,
      });
    }
    const nsLabels = namespaceLabelsOf(ns);
    const binding = bindWaypoint({ namespace: ns, labels: svc.meta.labels, namespaceLabels: nsLabels, target: 'service' }, waypoints, namespaceLabelsOf);
    const ingress = svc.meta.labels[INGRESS_USE_WAYPOINT_LABEL] ?? nsLabels[INGRESS_USE_WAYPOINT_LABEL];
    return {
      key, namespace: ns, name: svc.meta.ref.name, vips: svc.clusterIPs,
      ports: svc.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}), port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
      endpoints,
      ...(binding !== undefined ? { waypoint: binding } : {}),
      ingressUseWaypoint: ingress === 'true',
      ...(svc.headless === true ? { headless: true } : {}),
      ...(svc.externalName !== undefined ? { externalName: svc.externalName } : {}),
      source: svc.meta.source,
    };
  });
  return { services, diagnostics };
}

/**
 * A workload with an address that is not being deleted: kubernetes `ShouldPodBeInEndpoints`, and
 * ztunnel's `should_include_endpoint` for the UNHEALTHY status istiod gives a terminating pod
 * (see `isEndpointPod` in pod-lifecycle.ts).
 */
function isServiceEndpoint(w: Workload): boolean {
  return w.ips.length > 0 && w.terminating !== true;
}

/**
 * The workloads of a namespace whose label `key` has `value`, in workload order (every workload a
 * selector requiring that label can select): filed per namespace and label key on first use.
 */
function workloadsByLabel(workloads: readonly Workload[]): (namespace: string, key: string, value: unknown) => readonly Workload[] {
  const byNamespace = new Map<string, Workload[]>();
  for (const w of workloads) {
    const list = byNamespace.get(w.namespace);
    if (list) list.push(w);
    else byNamespace.set(w.namespace, [w]);
  }
  const filed = new Map<string, Map<string, Map<unknown, Workload[]>>>();
  return (namespace, key, value) => {
    const inNamespace = filed.get(namespace) ?? new Map<string, Map<unknown, Workload[]>>();
    filed.set(namespace, inNamespace);
    let byValue = inNamespace.get(key);
    if (byValue === undefined) {
      byValue = new Map();
      for (const w of byNamespace.get(namespace) ?? []) {
        const v = w.labels[key];
        const list = byValue.get(v);
        if (list) list.push(w);
        else byValue.set(v, [w]);
      }
      inNamespace.set(key, byValue);
    }
    return byValue.get(value) ?? [];
  };
}
