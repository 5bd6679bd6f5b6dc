import type { ComponentCounters } from '../model/result.js';

/**
 * The most tunnels one component's pool holds. ztunnel releases pooled connections that stay unused
 * (istio/ztunnel:src/proxy/pool.rs); until the timeline models that idle timeout, a pool that reaches
 * this size releases every tunnel at once, so memory stays bounded on traffic of any size; tunnels
 * opened again afterwards are counted as opened.
 */
export const POOL_CAPACITY = 16_384;

/**
 * A pool key's part: a mesh id (a number, as the verdict path's trace gives workloads, waypoints and
 * identities), or any other value standing for itself (a name, an object, null for no identity).
 * A thing given by id and the same thing given by name are different keys: a caller names each one way.
 */
export type PoolKeyPart = number | string | object | null;

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
  /** Created by the first tunnel (sidecars and most waypoints send none). */
  private pool: TunnelPool | null = null;

  constructor(readonly kind: 'ztunnel' | 'waypoint' | 'sidecar', readonly name: string) {}

  /** Records an outbound HBONE request over the pool; returns true when a new tunnel was opened. */
  useTunnel(identity: PoolKeyPart, from: PoolKeyPart, to: PoolKeyPart): boolean {
    const pool = (this.pool ??= new TunnelPool());
    const id = pool.part(identity);
    const f = pool.part(from);
    const t = pool.part(to);
    if (pool.has(id, f, t)) return false;
    if (pool.size >= POOL_CAPACITY) {
      pool.clear();
      return this.useTunnel(identity, from, to);
    }
    pool.add(id, f, t);
    this.tunnelsOpened++;
    return true;
  }

  /** Drops every pooled tunnel (a restart or a certificate change). */
  resetPool(): void {
    this.pool?.clear();
  }

  snapshot(): ComponentCounters {
    return {
      component: this.name, kind: this.kind, connections: this.connections, requests: this.requests,
      denials: this.denials, tunnelsOpened: this.tunnelsOpened, bytes: this.bytes,
    };
  }
}

/**
 * A set of (identity, from, to) triples of integers in one open-addressing table of typed arrays: a
 * lookup or an insert allocates nothing, and clearing is one counter. Mesh ids (integers from zero
 * up) are keys as they are; any other part is numbered, below zero, for as long as the set is not cleared.
 */
class TunnelPool {
  /** Triples held. */
  size = 0;
  private mask = 63;
  private ids = new Int32Array(64);
  private froms = new Int32Array(64);
  private tos = new Int32Array(64);
  /** A slot is full when its stamp is the current generation. */
  private stamps = new Uint32Array(64);
  private generation = 1;
  private readonly named = new Map<unknown, number>();

  /** The integer for a key part: a mesh id as it is, anything else numbered below zero. */
  part(value: unknown): number {
    if (typeof value === 'number' && value >= 0 && (value | 0) === value) return value;
    let n = this.named.get(value);
    if (n === undefined) this.named.set(value, (n = -1 - this.named.size));
    return n;
  }

  has(id: number, from: number, to: number): boolean {
    const mask = this.mask;
    for (let s = slotOf(id, from, to) & mask; ; s = (s + 1) & mask) {
      if (this.stamps[s] !== this.generation) return false;
      if (this.ids[s] === id && this.froms[s] === from && this.tos[s] === to) return true;
    }
  }

  /** Adds a triple that `has` just reported absent. */
  add(id: number, from: number, to: number): void {
    if (2 * (this.size + 1) > this.mask + 1) this.grow();
    this.put(id, from, to);
    this.size++;
  }

  clear(): void {
    this.size = 0;
    this.named.clear();
    if (++this.generation === 0xffffffff) {
      this.stamps.fill(0);
      this.generation = 1;
    }
  }

  private put(id: number, from: number, to: number): void {
    const mask = this.mask;
    let s = slotOf(id, from, to) & mask;
    while (this.stamps[s] === this.generation) s = (s + 1) & mask;
    this.stamps[s] = this.generation;
    this.ids[s] = id;
    this.froms[s] = from;
    this.tos[s] = to;
  }

  private grow(): void {
    const { ids, froms, tos, stamps, generation } = this;
    const size = 2 * (this.mask + 1);
    this.mask = size - 1;
    this.ids = new Int32Array(size);
    this.froms = new Int32Array(size);
    this.tos = new Int32Array(size);
    this.stamps = new Uint32Array(size);
    this.generation = 1;
    for (let s = 0; s < stamps.length; s++) if (stamps[s] === generation) this.put(ids[s] as number, froms[s] as number, tos[s] as number);
  }
}

function slotOf(id: number, from: number, to: number): number {
  let h = Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca77) ^ Math.imul(id, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}
