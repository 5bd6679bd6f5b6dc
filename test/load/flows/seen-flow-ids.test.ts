import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenFlowIds, numberStart } from '../../../src/load/flows/seen-flow-ids.js';

/** The simple version: every id in a map with its first line. */
function mapFirstLines(ids: readonly string[], lines: readonly number[]): (number | undefined)[] {
  const seen = new Map<string, number>();
  return ids.map((id, i) => {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, lines[i] as number);
    return first;
  });
}

const id = fc.oneof(
  fc.tuple(fc.constantFrom('', 'f', 'flow-', '-', 'a1b'), fc.oneof(fc.nat(3000), fc.nat(), fc.constantFrom(0, 999_999_999_999_999, 1e15))).map(([p, n]) => `${p}${n}`),
  fc.constantFrom('f007', 'f00', '0', 'x', ''),
  fc.string({ maxLength: 4 }),
);

describe('SeenFlowIds finds exactly the ids the plain map finds, with their first lines', () => {
  it.each([
    ['the default layout', {}],
    ['small pages and few prefixes', { layout: { pageSize: 4, slotsPerNumber: 2 }, maxPrefixes: 2 }],
  ])('holds with %s', (_name, options) => {
    fc.assert(fc.property(fc.array(id, { maxLength: 300 }), fc.array(fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constant(2 ** 32 + 5)), { minLength: 300, maxLength: 300 }), (ids, steps) => {
      let line = 0;
      const lines = ids.map((_, i) => (line += steps[i] as number));
      const seen = new SeenFlowIds(options);
      expect(ids.map((x, i) => seen.firstLine(x, lines[i] as number))).toEqual(mapFirstLines(ids, lines));
    }), { numRuns: 300 });
  });

  it('keeps ids made of a prefix and a number out of the map', () => {
    const seen = new SeenFlowIds();
    for (let i = 0; i < 100_000; i++) seen.firstLine(`f${i}`, i + 1);
    expect(seen.wholeIds).toBe(0);
    expect(seen.firstLine('f99999', 200_000)).toBe(100_000);
  });

  it.each([['f07', -1], ['f7', 1], ['7', 0], ['x', -1], ['1234567890123456', -1]])('numberStart(%s) is %i', (text, start) => {
    expect(numberStart(text)).toBe(start);
  });
});
