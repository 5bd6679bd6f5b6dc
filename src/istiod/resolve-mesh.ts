import type { Cluster } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Labels } from '../model/labels.js';
import type { Mesh, MeshService, Waypoint, Workload } from '../model/mesh.js';
import { validateCluster } from './admission/validate-cluster.js';
import { duplicatePodIpDiagnostics } from './address-conflicts.js';
import { clusterReferenceDiagnostics } from './cluster-references.js';
import { isWorkloadPod } from './pod-lifecycle.js';
import { buildServices } from './services.js';
import { USE_WAYPOINT_LABEL } from './waypoint-binding.js';
import { buildWaypointPolicies } from './waypoint-policies.js';
import { buildRequestAuthentications, buildSidecarPolicies } from './sidecar-policies.js';
import { buildWaypoints } from './waypoints.js';
import { buildWorkloads } from './workloads.js';
import { buildZtunnelPolicies } from './ztunnel-policies.js';

const NO_LABELS: Labels = {};

/**
 * What istiod computes from a cluster: validation (rejected objects become diagnostics and are left
 * out), enrollment and identities, services and endpoints, waypoints and their bindings, and the
 * policies each enforcement point receives. Pure and total: never throws on user input.
 */
export function resolveMesh(input: Cluster): Mesh {
  return resolveValidatedMesh(validateCluster(input));
}

/** {@link resolveMesh} over a cluster `validateCluster` has already checked (its errors left out). */
export function resolveValidatedMesh(validated: { readonly cluster: Cluster; readonly diagnostics: readonly Diagnostic[] }): Mesh {
  const { diagnostics: validation } = validated;
  // Completed pods, and exported pods without an IP, are no workloads (workloads.go `podWorkloadBuilder`).
  const cluster: Cluster = { ...validated.cluster, pods: validated.cluster.pods.filter(isWorkloadPod) };
  const nsLabels = new Map<string, Labels>();
  for (const ns of cluster.namespaces) nsLabels.set(ns.meta.ref.name, ns.meta.labels);
  const namespaceLabelsOf = (ns: string): Labels => nsLabels.get(ns) ?? NO_LABELS;

  const takenIps = new Set<string>();
  // Addresses of completed pods too: a synthesized waypoint address should not collide with anything written.
  for (const p of validated.cluster.pods) for (const ip of p.ips) takenIps.add(ip);
  for (const s of cluster.services) for (const ip of s.clusterIPs) takenIps.add(ip);
  for (const n of cluster.nodes) for (const ip of n.addresses) takenIps.add(ip);

  const built = buildWaypoints(cluster, takenIps);
  const waypoints = new Map<string, Waypoint>(built.waypoints.map((w) => [w.key, w]));
  const pods = [...cluster.pods, ...built.synthesizedPods];
  const bare = buildWorkloads(cluster, pods, waypoints, namespaceLabelsOf);
  const svc = buildServices(cluster, bare, waypoints, namespaceLabelsOf);
  const ztunnel = buildZtunnelPolicies(cluster, bare, svc.services, waypoints);
  const waypointPolicies = buildWaypointPolicies(cluster);
  const nodes: Record<string, readonly string[]> = {};
  for (const n of cluster.nodes) nodes[n.meta.ref.name] = n.addresses;

  return {
    meshConfig: cluster.meshConfig,
    istiodEnv: cluster.istiodEnv,
    workloads: ztunnel.workloads,
    services: svc.services,
    waypoints: built.waypoints,
    ztunnelPolicies: ztunnel.policies,
    waypointPolicies: waypointPolicies.policies,
    sidecarPolicies: buildSidecarPolicies(cluster),
    peerAuthentications: cluster.peerAuthentications,
    requestAuthentications: buildRequestAuthentications(cluster),
    nodes,
    diagnostics: [
      ...validation, ...clusterReferenceDiagnostics(validated.cluster), ...built.diagnostics, ...svc.diagnostics, ...ztunnel.diagnostics, ...waypointPolicies.diagnostics,
      ...bindingDiagnostics(cluster, ztunnel.workloads, svc.services), ...duplicatePodIpDiagnostics(ztunnel.workloads.filter((w) => !w.generated)),
    ],
  };
}

/** A `use-waypoint` label that names no Gateway, once per labelled object or namespace. */
function bindingDiagnostics(cluster: Cluster, workloads: readonly Workload[], services: readonly MeshService[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seenNamespaces = new Set<string>();
  const report = (object: string, file: string, line: number, waypoint: string): void => {
    out.push({
      severity: 'warning', code: 'use-waypoint-missing', object, file, line,
      message: `${object} (${file}:${line}): label ${USE_WAYPOINT_LABEL} names waypoint ${waypoint}, but no Gateway of class istio-waypoint has that name; traffic goes direct, without a waypoint`,
    });
  };
  const items: { binding: Workload['waypoint']; object: string; file: string; line: number; namespace: string }[] = [
    ...services.map((s) => ({ binding: s.waypoint, object: `Service ${s.key}`, file: s.source.file, line: s.source.line, namespace: s.namespace })),
    ...workloads.map((w) => ({ binding: w.waypoint, object: `Pod ${w.uid}`, file: w.source.file, line: w.source.line, namespace: w.namespace })),
  ];
  for (const item of items) {
    if (item.binding?.problem !== 'waypoint-missing') continue;
    if (item.binding.via === 'object-label') {
      report(item.object, item.file, item.line, item.binding.waypoint);
    } else if (!seenNamespaces.has(item.namespace)) {
      seenNamespaces.add(item.namespace);
      const ns = cluster.namespaces.find((n) => n.meta.ref.name === item.namespace);
      report(`Namespace ${item.namespace}`, ns?.meta.source.file ?? item.file, ns?.meta.source.line ?? item.line, item.binding.waypoint);
    }
  }
  return out;
}
