import type { Cluster, Pod } from '../model/cluster.js';
import type { Labels } from '../model/labels.js';
import type { Waypoint, Workload } from '../model/mesh.js';
import { decideEnrollment, GATEWAY_NAME_LABEL, injectorWouldInject } from './enrollment.js';
import { bindWaypoint } from './waypoint-binding.js';

/** `spiffe://<trust-domain>/ns/<ns>/sa/<sa>` (istio/ztunnel:src/identity/manager.rs `Identity`). */
export function spiffeIdentity(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/** Every pod as istiod's ambient index sees it, without policies (attached later). */
export function buildWorkloads(
  cluster: Cluster,
  pods: readonly Pod[],
  waypoints: ReadonlyMap<string, Waypoint>,
  namespaceLabelsOf: (ns: string) => Labels,
): Workload[] {
  const waypointByPod = new Map<string, string>();
  for (const wp of waypoints.values()) waypointByPod.set(wp.workloadUid, wp.key);
  return pods.map((pod) => {
    const ns = pod.meta.ref.namespace ?? 'default';
    const uid = `${ns}/${pod.meta.ref.name}`;
    const nsLabels = namespaceLabelsOf(ns);
    const waypointFor = waypointByPod.get(uid)
      ?? (pod.meta.labels[GATEWAY_NAME_LABEL] && waypoints.has(`${ns}/${pod.meta.labels[GATEWAY_NAME_LABEL]}`)
        ? `${ns}/${pod.meta.labels[GATEWAY_NAME_LABEL]}` : undefined);
    const { enrollment, reason } = decideEnrollment({
      namespace: ns, namespaceLabels: nsLabels, labels: pod.meta.labels, annotations: pod.meta.annotations,
      hostNetwork: pod.template.hostNetwork, isWaypoint: waypointFor !== undefined,
      sidecarInjected: injectorWouldInject({ namespace: ns, namespaceLabels: nsLabels, labels: pod.meta.labels, annotations: pod.meta.annotations, hostNetwork: pod.template.hostNetwork }),
    });
    const binding = waypointFor === undefined
      ? bindWaypoint({ namespace: ns, labels: pod.meta.labels, namespaceLabels: nsLabels, target: 'workload' }, waypoints, namespaceLabelsOf)
      : undefined;
    const ingressGatewayFor = waypointFor === undefined ? ingressGatewayOf(cluster, ns, pod.meta.labels) : undefined;
    const sa = pod.template.serviceAccount || 'default';
    return {
      uid, namespace: ns, name: pod.meta.ref.name, ips: pod.ips,
      ...(pod.nodeName !== undefined ? { node: pod.nodeName } : {}),
      serviceAccount: sa,
      identity: spiffeIdentity(cluster.meshConfig.trustDomain, ns, sa),
      labels: pod.meta.labels, enrollment, enrollmentReason: reason,
      hostNetwork: pod.template.hostNetwork, ports: pod.template.ports,
      ...(pod.owner !== undefined ? { controller: pod.owner } : {}),
      ...(binding !== undefined ? { waypoint: binding } : {}),
      ...(waypointFor !== undefined ? { waypointFor } : {}),
      ...(ingressGatewayFor !== undefined ? { ingressGatewayFor } : {}),
      policies: [], source: pod.meta.source, generated: pod.generated === true,
      ...(pod.terminating === true ? { terminating: true } : {}),
    };
  });
}

/**
 * The ingress gateway a pod runs, if any: a pod of a Gateway API Gateway whose class is not the waypoint
 * class (istiod's automated deployment labels it `gateway.networking.k8s.io/gateway-name`), or a pod of
 * the classic `istio-ingressgateway` deployment (label `istio: ingressgateway`).
 */
function ingressGatewayOf(cluster: Cluster, ns: string, labels: Labels): string | undefined {
  const name = labels[GATEWAY_NAME_LABEL];
  if (name !== undefined) {
    const gw = cluster.gateways.find((g) => g.meta.ref.name === name && (g.meta.ref.namespace ?? 'default') === ns);
    return gw && gw.gatewayClassName !== 'istio-waypoint' ? `${ns}/${name}` : undefined;
  }
  return labels['istio'] === 'ingressgateway' ? `${ns}/${labels['app'] ?? 'istio-ingressgateway'}` : undefined;
}
