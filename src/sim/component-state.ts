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
  /** The pool reached its capacity and was emptied at least once. */
  overflowed = false;

  constructor(readonly kind: 'ztunnel' | 'waypoint' | 'sidecar', readonly name: string) {}

  /** Records an outbound HBONE request over the pool; returns true when a new tunnel was opened. */
  useTunnel(identity: PoolKeyPart, from: PoolKeyPart, to: PoolKeyPart): boolean {
    const pool = (this.pool ??= new TunnelPool());
    const id = pool.part(identity);
    const f = pool.part(from);
    const t = pool.part(to);
    if (pool.has(id, f, t)) return false;
    if (pool.size >= POOL_CAPACITY) {
      this.overflowed = true;
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

  /**
   * The tunnels the pool holds, each as `identity from to` with its parts named by `name` (a mesh id:
   * an identity id in first place, a tunnel end id after; any other part is named as it was given).
   */
  tunnels(name: (part: number, place: 'identity' | 'end') => string): string[] {
    const pool = this.pool;
    if (pool === null) return [];
    const text = (part: number, place: 'identity' | 'end'): string => (part >= 0 ? name(part, place) : String(pool.given(part)));
    return pool.triples().map(([id, from, to]) => `${text(id, 'identity')} ${text(from, 'end')} ${text(to, 'end')}`).sort();
  }

  snapshot(): ComponentCounters {
    return {
      component: this.name, kind: this.kind, connections: this.connections, requests: this.requests,
      denials: this.denials, tunnelsOpened: this.tunnelsOpened, bytes: this.bytes,
    };
  }
}

/**
 * A set of (identity, from, to) triples of integers in one open-addressing table: each slot is four
 * neighbouring integers (generation stamp, identity, from, to), so a probe reads one cache line; a
 * lookup or an insert allocates nothing, and clearing is one counter. Mesh ids (integers from zero
 * up) are keys as they are; any other part is numbered, below zero, for as long as the set is not cleared.
 */
class TunnelPool {
  /** Triples held. */
  size = 0;
  private mask = 63;
  /** Slot s at 4s: its stamp (full when it is the current generation), then identity, from and to. */
  private slots = new Int32Array(4 * 64);
  private generation = 1;
  private readonly named = new Map<unknown, number>();
  /** The values numbered below zero, by -1 - number. */
  private readonly givenParts: unknown[] = [];

  /** The integer for a key part: a mesh id as it is, anything else numbered below zero. */
  part(value: unknown): number {
    if (typeof value === 'number' && value >= 0 && (value | 0) === value) return value;
    let n = this.named.get(value);
    if (n === undefined) {
      this.named.set(value, (n = -1 - this.named.size));
      this.givenParts.push(value);
    }
    return n;
  }

  /** The value a number below zero stands for. */
  given(part: number): unknown {
    return this.givenParts[-1 - part];
  }

  /** Every triple held, in slot order. */
  triples(): [number, number, number][] {
    const out: [number, number, number][] = [];
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += 4) {
      if (slots[at] === this.generation) out.push([slots[at + 1] as number, slots[at + 2] as number, slots[at + 3] as number]);
    }
    return out;
  }

  has(id: number, from: number, to: number): boolean {
    const mask = this.mask;
    const slots = this.slots;
    for (let s = slotOf(id, from, to) & mask; ; s = (s + 1) & mask) {
      const at = 4 * s;
      if (slots[at] !== this.generation) return false;
      if (slots[at + 1] === id && slots[at + 2] === from && slots[at + 3] === to) return true;
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
    this.givenParts.length = 0;
    if (++this.generation === 0x7fffffff) {
      this.slots.fill(0);
      this.generation = 1;
    }
  }

  private put(id: number, from: number, to: number): void {
    const mask = this.mask;
    const slots = this.slots;
    let s = slotOf(id, from, to) & mask;
    while (slots[4 * s] === this.generation) s = (s + 1) & mask;
    const at = 4 * s;
    slots[at] = this.generation;
    slots[at + 1] = id;
    slots[at + 2] = from;
    slots[at + 3] = to;
  }

  private grow(): void {
    const { slots, generation } = this;
    const size = 2 * (this.mask + 1);
    this.mask = size - 1;
    this.slots = new Int32Array(4 * size);
    this.generation = 1;
    for (let at = 0; at < slots.length; at += 4) {
      if (slots[at] === generation) this.put(slots[at + 1] as number, slots[at + 2] as number, slots[at + 3] as number);
    }
  }
}

function slotOf(id: number, from: number, to: number): number {
  let h = Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca77) ^ Math.imul(id, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}
