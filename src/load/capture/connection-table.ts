import type { Connection } from './connection.js';

/** A 32-bit hash of an IPv4 conversation's endpoints and transport, the same in both directions. */
function hash4(udp: boolean, a: number, pa: number, b: number, pb: number): number {
  const lo = a < b || (a === b && pa <= pb);
  const x = lo ? a : b;
  const y = lo ? b : a;
  const ports = lo ? ((pa << 16) | pb) : ((pb << 16) | pa);
  let h = Math.imul(x ^ (udp ? 0x7f4a7c15 : 0x9e3779b9), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ y, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ports, 0x27d4eb2f);
  return h ^ (h >>> 15);
}

/** A 32-bit hash of a string key (IPv6 conversations). */
function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h ^ (h >>> 15);
}

function hashOf(c: Connection): number {
  return c.key !== '' ? hashKey(c.key) : hash4(c.transport === 'udp', c.client.raw as number, c.client.port, c.server.raw as number, c.server.port);
}

function sameEndpoints(c: Connection, a: number, pa: number, b: number, pb: number): boolean {
  return (c.client.raw === a && c.client.port === pa && c.server.raw === b && c.server.port === pb)
    || (c.client.raw === b && c.client.port === pb && c.server.raw === a && c.server.port === pa);
}

const FIRST_BUCKETS = 1024;

/**
 * The flow table: open connections by their endpoints, in a bucket array that doubles as it fills
 * (at most one bucket per connection the caller allows, so it stays bounded by that limit) with
 * chaining through the connections themselves. IPv4 conversations are found by a numeric hash (no
 * key string per packet), IPv6 ones by their key. Connections are also linked in the order they were
 * added, oldest first, which is the order eviction and sweeping visit them in.
 */
export class ConnectionTable {
  private buckets: Array<Connection | undefined> = new Array<Connection | undefined>(FIRST_BUCKETS).fill(undefined);
  private mask = FIRST_BUCKETS - 1;
  private count = 0;
  /** The connection added first among those still held; follow `newer` for the rest. */
  oldest: Connection | undefined;
  private newest: Connection | undefined;

  get size(): number {
    return this.count;
  }

  /** The open conversation between two IPv4 endpoints over TCP or UDP, in either direction. */
  find4(udp: boolean, a: number, pa: number, b: number, pb: number): Connection | undefined {
    const transport = udp ? 'udp' : 'tcp';
    for (let c = this.buckets[hash4(udp, a, pa, b, pb) & this.mask]; c; c = c.nextInBucket) {
      if (c.key === '' && c.transport === transport && sameEndpoints(c, a, pa, b, pb)) return c;
    }
    return undefined;
  }

  /** The open IPv6 conversation with this key. */
  find(key: string): Connection | undefined {
    for (let c = this.buckets[hashKey(key) & this.mask]; c; c = c.nextInBucket) if (c.key === key) return c;
    return undefined;
  }

  add(c: Connection): void {
    if (this.count >= this.buckets.length) this.grow();
    this.link(c);
    c.older = this.newest;
    c.newer = undefined;
    if (this.newest) this.newest.newer = c;
    else this.oldest = c;
    this.newest = c;
    this.count++;
  }

  remove(c: Connection): void {
    const slot = hashOf(c) & this.mask;
    let head = this.buckets[slot];
    if (head === c) this.buckets[slot] = c.nextInBucket;
    else {
      while (head && head.nextInBucket !== c) head = head.nextInBucket;
      if (!head) return;
      head.nextInBucket = c.nextInBucket;
    }
    c.nextInBucket = undefined;
    if (c.older) c.older.newer = c.newer;
    else this.oldest = c.newer;
    if (c.newer) c.newer.older = c.older;
    else this.newest = c.older;
    c.older = undefined;
    c.newer = undefined;
    this.count--;
  }

  private link(c: Connection): void {
    const slot = hashOf(c) & this.mask;
    c.nextInBucket = this.buckets[slot];
    this.buckets[slot] = c;
  }

  private grow(): void {
    const size = this.buckets.length * 2;
    this.buckets = new Array<Connection | undefined>(size).fill(undefined);
    this.mask = size - 1;
    for (let c = this.oldest; c; c = c.newer) this.link(c);
  }
}
