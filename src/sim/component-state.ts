import type { TunnelEnd } from '../dataplane/path-trace.js';
import type { ComponentCounters } from '../model/result.js';

/**
 * The most tunnels one component's pool holds. ztunnel releases pooled connections that stay unused
 * (istio/ztunnel:src/proxy/pool.rs); until the timeline models that idle timeout, a pool that reaches
 * this size releases every tunnel at once, so memory stays bounded on traffic of any size; tunnels
 * opened again afterwards are counted as opened.
 */
export const POOL_CAPACITY = 16_384;

/**
 * The live state of one data-plane component: counters, and its HBONE connection pool. ztunnel pools
 * tunnels per (source identity, source address, destination address) (istio/ztunnel:src/proxy/pool.rs
 * `WorkloadKey`); a new key opens a tunnel, a known one reuses it.
 */
export class ComponentState {
  connections = 0;
  requests = 0;
  denials = 0;
  tunnelsOpened = 0;
  bytes = 0;
  /**
   * from → to → the peer identity with an open tunnel (a set when several share the pair); nested maps
   * avoid building a key per flow, and the one-identity case, by far the most common, needs no set.
   * Ends are the mesh's workload and waypoint objects (see TunnelEnd), so a lookup hashes no string.
   */
  private readonly pool = new Map<TunnelEnd, Map<TunnelEnd, string | null | Set<string | null>>>();
  private pooled = 0;

  constructor(readonly kind: 'ztunnel' | 'waypoint' | 'sidecar', readonly name: string) {}

  /** Records an outbound HBONE request over the pool; returns true when a new tunnel was opened. */
  useTunnel(identity: string | null, from: TunnelEnd, to: TunnelEnd): boolean {
    let byTo = this.pool.get(from);
    if (!byTo) this.pool.set(from, (byTo = new Map()));
    const held = byTo.get(to);
    if (held === identity || (held instanceof Set && held.has(identity))) return false;
    if (this.pooled >= POOL_CAPACITY) {
      this.resetPool();
      return this.useTunnel(identity, from, to);
    }
    if (held === undefined) byTo.set(to, identity);
    else if (held instanceof Set) held.add(identity);
    else byTo.set(to, new Set([held, identity]));
    this.pooled++;
    this.tunnelsOpened++;
    return true;
  }

  /** Drops every pooled tunnel (a restart or a certificate change). */
  resetPool(): void {
    this.pool.clear();
    this.pooled = 0;
  }

  snapshot(): ComponentCounters {
    return {
      component: this.name, kind: this.kind, connections: this.connections, requests: this.requests,
      denials: this.denials, tunnelsOpened: this.tunnelsOpened, bytes: this.bytes,
    };
  }
}
