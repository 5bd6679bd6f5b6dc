import type { Mesh, Workload } from '../../model/mesh.js';

/**
 * The peer labels Istio's telemetry gives a workload: its workload name (the controller's name for a
 * controller's pods, as istiod's `workload_name`), namespace, canonical service and revision
 * (`service.istio.io/canonical-name`, else `app.kubernetes.io/name`, else `app`, else the workload
 * name; `service.istio.io/canonical-revision`, else `app.kubernetes.io/version`, else `version`,
 * else `latest`: istio/istio pkg/kube/labels/labels.go `CanonicalService`), and its SPIFFE identity.
 */
export interface PeerLabels {
  readonly workload: string;
  readonly namespace: string;
  readonly canonicalService: string;
  readonly canonicalRevision: string;
  readonly principal: string;
}

/** `namespace/name` of Services to their ports; names of pods, controllers and waypoints to their labels. */
export interface TelemetryDirectory {
  readonly peers: ReadonlyMap<string, PeerLabels>;
  readonly services: ReadonlyMap<string, readonly number[]>;
  /** The cluster domain of Service hostnames (`<name>.<namespace>.svc.<domain>`). */
  readonly domain: string;
}

/** The directory of a mesh: every pod by uid and controller, every waypoint by Gateway key. */
export function telemetryDirectory(mesh: Mesh): TelemetryDirectory {
  const peers = new Map<string, PeerLabels>();
  for (const w of mesh.workloads) {
    const labels = peerOf(w);
    peers.set(w.uid, labels);
    if (w.controller !== undefined && !peers.has(w.controller)) peers.set(w.controller, labels);
    if (w.waypointFor !== undefined && !peers.has(w.waypointFor)) peers.set(w.waypointFor, labels);
  }
  for (const wp of mesh.waypoints) {
    if (!peers.has(wp.key)) peers.set(wp.key, { workload: wp.name, namespace: wp.namespace, canonicalService: wp.name, canonicalRevision: 'latest', principal: wp.identity });
  }
  const services = new Map(mesh.services.map((s) => [s.key, s.ports.map((p) => p.port)]));
  return { peers, services, domain: 'cluster.local' };
}

function peerOf(w: Workload): PeerLabels {
  const name = w.waypointFor !== undefined ? (w.waypointFor.split('/')[1] as string) : w.controller !== undefined ? (w.controller.split('/')[1] as string) : w.name;
  const l = w.labels;
  return {
    workload: name,
    namespace: w.namespace,
    canonicalService: l['service.istio.io/canonical-name'] ?? l['app.kubernetes.io/name'] ?? l['app'] ?? name,
    canonicalRevision: l['service.istio.io/canonical-revision'] ?? l['app.kubernetes.io/version'] ?? l['version'] ?? 'latest',
    principal: w.identity,
  };
}
