import type { Enrollment, Mesh } from '../../model/mesh.js';

/** What the mesh says about a name the results use: its workload (pods grouped by controller), Service or waypoint. */
export interface DirectoryEntry {
  readonly kind: 'workload' | 'service' | 'waypoint' | 'k8s-node';
  /** The graph's name: the controller for a controller's pods, the waypoint Gateway for its pod. */
  readonly name: string;
  readonly namespace: string | null;
  readonly k8sNodes: readonly string[];
  readonly enrollment?: Enrollment;
  /** A Service's ports. */
  readonly ports?: readonly number[];
}

/**
 * Names of the mesh as the graph shows them: pod uids and controllers to their workload, Services,
 * waypoints (and their pods), node names and addresses. Built once per run, bounded by the cluster.
 */
export interface GraphDirectory {
  readonly byName: ReadonlyMap<string, DirectoryEntry>;
  readonly services: ReadonlyMap<string, DirectoryEntry>;
  /** Node addresses to node names. */
  readonly nodeByIp: ReadonlyMap<string, string>;
}

/**
 * The directory of one or more meshes (a diff's two sides); a name the first mesh knows keeps its
 * entry. A workload's Kubernetes nodes are those of all its pods.
 */
export function graphDirectory(meshes: readonly Mesh[]): GraphDirectory {
  const byName = new Map<string, DirectoryEntry>();
  const services = new Map<string, DirectoryEntry>();
  const nodeByIp = new Map<string, string>();
  for (const mesh of meshes) {
    const waypointByPod = new Map(mesh.waypoints.map((w) => [w.workloadUid, w.key]));
    for (const w of mesh.waypoints) {
      const entry: DirectoryEntry = { kind: 'waypoint', name: w.key, namespace: w.namespace, k8sNodes: w.node ? [w.node] : [] };
      if (!byName.has(w.key)) byName.set(w.key, entry);
    }
    const workloads = new Map<string, { namespace: string; nodes: Set<string>; enrollment: Enrollment; pods: string[] }>();
    for (const w of mesh.workloads) {
      const waypoint = w.waypointFor ?? waypointByPod.get(w.uid);
      if (waypoint !== undefined) {
        if (!byName.has(w.uid)) byName.set(w.uid, byName.get(waypoint) as DirectoryEntry);
        continue;
      }
      const key = w.controller ?? w.uid;
      const group = workloads.get(key) ?? { namespace: w.namespace, nodes: new Set<string>(), enrollment: w.enrollment, pods: [] };
      if (w.node) group.nodes.add(w.node);
      group.pods.push(w.uid);
      workloads.set(key, group);
    }
    for (const [key, g] of workloads) {
      const entry: DirectoryEntry = { kind: 'workload', name: key, namespace: g.namespace, k8sNodes: [...g.nodes].sort(), enrollment: g.enrollment };
      for (const name of [key, ...g.pods]) if (!byName.has(name)) byName.set(name, entry);
    }
    for (const s of mesh.services) {
      if (!services.has(s.key)) services.set(s.key, { kind: 'service', name: s.key, namespace: s.namespace, k8sNodes: [], ports: s.ports.map((p) => p.port) });
    }
    for (const [node, ips] of Object.entries(mesh.nodes)) for (const ip of ips) if (!nodeByIp.has(ip)) nodeByIp.set(ip, node);
  }
  return { byName, services, nodeByIp };
}

/** An empty directory: names are classified from the results alone (graph-endpoints.ts). */
export const NO_DIRECTORY: GraphDirectory = { byName: new Map(), services: new Map(), nodeByIp: new Map() };
