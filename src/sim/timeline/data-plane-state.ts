import type { Cluster } from '../../model/cluster.js';

/**
 * What each component enforces and whether it serves: the configuration version every component
 * received last, newer versions held by ztunnels that fetched the whole configuration when they
 * restarted, waypoints without a ready endpoint, and ztunnels that serve nothing (restarting, or up
 * again but not ready: no configuration from istiod yet).
 */
export class DataPlaneState {
  /** The version istiod's pushes delivered to every component. */
  delivered = 0;
  /** Per node: a newer version its ztunnel fetched at start, until the pushes catch up. */
  readonly ztunnelVersions = new Map<string, number>();
  readonly waypointsDown = new Set<string>();
  /** Per node: until when its ztunnel restarts. */
  readonly restarting = new Map<string, number>();
  /** Nodes whose ztunnel is back but has had no configuration from istiod yet. */
  readonly awaitingConfiguration = new Set<string>();

  /** The version the ztunnel of `node` enforces. */
  ztunnelVersion(node: string): number {
    return Math.max(this.delivered, this.ztunnelVersions.get(node) ?? 0);
  }

  /** A push of `version` reached every component; false when they had it already. */
  deliver(version: number): boolean {
    if (version <= this.delivered) return false;
    this.delivered = version;
    for (const [node, v] of this.ztunnelVersions) if (v <= version) this.ztunnelVersions.delete(node);
    return true;
  }

  /** True when the ztunnel of `node` serves nothing now. */
  ztunnelDown(node: string): boolean {
    return this.restarting.has(node) || this.awaitingConfiguration.has(node);
  }
}

/** True when the cluster has the waypoint Gateway `ns/name`. */
export function hasWaypoint(cluster: Cluster, waypoint: string): boolean {
  return cluster.gateways.some((g) => `${g.meta.ref.namespace}/${g.meta.ref.name}` === waypoint);
}

/** True when the cluster has the Node, or a pod scheduled on it. */
export function hasNode(cluster: Cluster, node: string): boolean {
  return cluster.nodes.some((n) => n.meta.ref.name === node) || cluster.pods.some((p) => p.nodeName === node);
}
