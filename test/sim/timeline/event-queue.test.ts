import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../src/sim/timeline/event-queue.js';

describe('EventQueue', () => {
  it('pops events in (time, sequence) order whatever the order they were pushed in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.nat()), { maxLength: 200 }), (pairs) => {
        const events = pairs.map(([time], seq) => ({ time, seq }));
        const queue = new EventQueue<{ time: number; seq: number }>();
        for (const e of [...events].reverse()) queue.push(e);
        const out: { time: number; seq: number }[] = [];
        for (let e = queue.pop(); e !== undefined; e = queue.pop()) out.push(e);
        const sorted = [...events].sort((a, b) => a.time - b.time || a.seq - b.seq);
        expect(out).toEqual(sorted);
      }),
    );
  });

  it('keeps the scheduling order of events at the same time', () => {
    const queue = new EventQueue<{ time: number; seq: number; name: string }>();
    queue.push({ time: 5, seq: 2, name: 'second' });
    queue.push({ time: 5, seq: 1, name: 'first' });
    queue.push({ time: 1, seq: 3, name: 'earlier' });
    expect([queue.pop()?.name, queue.pop()?.name, queue.pop()?.name, queue.pop()]).toEqual(['earlier', 'first', 'second', undefined]);
  });

  it('takes events pushed while it is being drained', () => {
    const queue = new EventQueue<{ time: number; seq: number }>();
    queue.push({ time: 0, seq: 0 });
    const first = queue.pop();
    queue.push({ time: 3, seq: 2 });
    queue.push({ time: 2, seq: 1 });
    expect([first?.time, queue.peek()?.time, queue.size]).toEqual([0, 2, 2]);
  });
});
