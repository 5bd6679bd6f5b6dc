import type { Connection } from './connection.js';

/** A 32-bit hash of an IPv4 connection's endpoints, the same in both directions. */
function hash4(a: number, pa: number, b: number, pb: number): number {
  const lo = a < b || (a === b && pa <= pb);
  const x = lo ? a : b;
  const y = lo ? b : a;
  const ports = lo ? ((pa << 16) | pb) : ((pb << 16) | pa);
  let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ y, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ports, 0x27d4eb2f);
  return h ^ (h >>> 15);
}

function sameEndpoints(c: Connection, a: number | string, pa: number, b: number | string, pb: number): boolean {
  return (c.client.raw === a && c.client.port === pa && c.server.raw === b && c.server.port === pb)
    || (c.client.raw === b && c.client.port === pb && c.server.raw === a && c.server.port === pa);
}

/**
 * The flow table: open connections by their endpoints. IPv4 connections are found by a numeric hash
 * with chaining (no key string per packet); IPv6 and UDP use string keys. Iterates in insertion order.
 */
export class ConnectionTable {
  private readonly v4 = new Map<number, Connection>();
  private readonly byKey = new Map<string, Connection>();
  private readonly all = new Set<Connection>();

  get size(): number {
    return this.all.size;
  }

  /** The open TCP connection between two IPv4 endpoints, in either direction. */
  find4(a: number, pa: number, b: number, pb: number): Connection | undefined {
    for (let c = this.v4.get(hash4(a, pa, b, pb)); c; c = c.nextInBucket) if (sameEndpoints(c, a, pa, b, pb)) return c;
    return undefined;
  }

  find(key: string): Connection | undefined {
    return this.byKey.get(key);
  }

  add(c: Connection): void {
    this.all.add(c);
    if (c.key !== '') {
      this.byKey.set(c.key, c);
      return;
    }
    const h = hash4(c.client.raw as number, c.client.port, c.server.raw as number, c.server.port);
    c.nextInBucket = this.v4.get(h);
    this.v4.set(h, c);
  }

  remove(c: Connection): void {
    if (!this.all.delete(c)) return;
    if (c.key !== '') {
      this.byKey.delete(c.key);
      return;
    }
    const h = hash4(c.client.raw as number, c.client.port, c.server.raw as number, c.server.port);
    let head = this.v4.get(h);
    if (head === c) {
      if (c.nextInBucket) this.v4.set(h, c.nextInBucket);
      else this.v4.delete(h);
      return;
    }
    while (head && head.nextInBucket !== c) head = head.nextInBucket;
    if (head) head.nextInBucket = c.nextInBucket;
  }

  values(): IterableIterator<Connection> {
    return this.all.values();
  }
}
