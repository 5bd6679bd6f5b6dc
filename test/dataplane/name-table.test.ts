import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameTable } from '../../src/dataplane/name-table.js';

/** A string with the same text built another way: a rope, a slice of a longer string, or as parsed from JSON. */
const rebuilt = (text: string, how: number): string => {
  if (how === 0) return JSON.parse(JSON.stringify(text)) as string;
  if (how === 1) return `#${text}#`.slice(1, -1);
  const half = text.length >> 1;
  return text.slice(0, half) + text.slice(half);
};

describe('NameTable', () => {
  it('finds what a Map finds, for any strings, built any way', () => {
    const key = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'ns-1/svc-2', 'ns-1/svc-2-3', '10.0.0.1', '\u0000'));
    fc.assert(fc.property(fc.array(fc.tuple(key, fc.integer())), fc.array(key), fc.integer({ min: 0, max: 2 }), (entries, probes, how) => {
      const map = new Map<string, number>();
      const table = new NameTable<number>();
      for (const [k, v] of entries) {
        map.set(k, v);
        table.set(k, v);
      }
      expect(table.size).toBe(map.size);
      for (const k of [...probes, ...entries.map(([k]) => k)]) {
        const probe = rebuilt(k, how);
        expect(table.get(probe)).toBe(map.get(probe) ?? null);
        expect(table.has(probe)).toBe(map.has(probe));
      }
    }), { numRuns: 300 });
  });

  it('keeps every key as it grows, and a second set replaces the value', () => {
    const table = new NameTable<number>();
    for (let i = 0; i < 5000; i++) table.set(`ns-${i % 50}/svc-${i}`, i);
    table.set('ns-0/svc-0', -1);
    expect(table.size).toBe(5000);
    expect(table.get('ns-0/svc-0')).toBe(-1);
    for (let i = 1; i < 5000; i++) expect(table.get(`ns-${i % 50}/svc-${i}`)).toBe(i);
    expect(table.get('ns-0/svc-5000')).toBeNull();
  });
});
