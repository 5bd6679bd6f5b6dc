import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shardKey, shardOf } from '../../src/sim/shard.js';
import { smallClusterFlow } from '../../src/generate/small-clusters.js';
import type { Flow } from '../../src/model/flow.js';

const flow = (source: Flow['source'], destination: Flow['destination'], id = 'f'): Flow => ({ id, source, destination, protocol: 'tcp', time: 0 });

describe('shardOf() puts a flow in a shard by its pair of endpoints (DESIGN.md "Scale")', () => {
  it('is a number from 1 to the count, the same for every flow between the same endpoints, whatever the port, id or time', () => {
    fc.assert(fc.property(smallClusterFlow, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 65535 }), fc.string(), (f, count, port, id) => {
      const k = shardOf(f, count);
      expect(k).toBeGreaterThanOrEqual(1);
      expect(k).toBeLessThanOrEqual(count);
      const moved = { ...f, id, time: f.time + 7, destination: { ...f.destination, port } } as Flow;
      expect(shardOf(moved, count)).toBe(k);
    }));
  });

  it('keys on the source (workload, else address) and the destination (Service, else workload, else address)', () => {
    expect(shardKey(flow({ workload: 'a/x' }, { service: 'b/y', port: 80 }))).toBe('a/x\u0000b/y');
    expect(shardKey(flow({ ip: '10.0.0.1' }, { ip: '10.0.0.2', port: 80 }))).toBe('10.0.0.1\u000010.0.0.2');
    expect(shardKey(flow({ workload: 'a/x' }, { workload: 'b/y-0', port: 80 }))).toBe('a/x\u0000b/y-0');
  });

  it('is stable across releases: known pairs keep their shard (reports of one run are merged by later versions)', () => {
    // FNV-1a 32-bit of the key, modulo the count, plus one.
    expect([2, 3, 5, 8].map((n) => shardOf(flow({ workload: 'orders/checkout' }, { service: 'payments/api', port: 80 }), n))).toEqual(
      [2, 3, 5, 8].map((n) => (fnv('orders/checkout\u0000payments/api') % n) + 1),
    );
  });

  it('spreads many pairs over every shard', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 4000; i++) {
      const k = shardOf(flow({ workload: `ns/p-${i}` }, { service: `ns/s-${i % 37}`, port: 80 }), 8) - 1;
      counts[k] = (counts[k] ?? 0) + 1;
    }
    for (const c of counts) expect(c).toBeGreaterThan(300);
  });
});

function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
