import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placeJsonObjects } from '../../../src/load/manifests/json-object-spans.js';

/** Strings made of what a structural scan could mistake for structure. */
const tricky = fc.string({ unit: fc.constantFrom(',', '[', ']', '{', '}', '"', '\\', ':', ' ', '\n', 'a', 'é', '😀') });
const value = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.constant(null), fc.boolean(), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
})).value;

describe('placeJsonObjects places every object of a file at its own text', () => {
  it('the span of each top-level array item and List item parses to that item', () => {
    fc.assert(fc.property(fc.array(value, { maxLength: 6 }), fc.boolean(), fc.constantFrom(0, 2, '\t'), (items, asList, indent) => {
      const root = asList ? { kind: 'List', 'it\\"ems': 1, items } : items;
      const text = JSON.stringify(root, null, indent);
      const { spans } = placeJsonObjects(text);
      items.forEach((item, i) => {
        const span = spans.get(asList ? `items.${i}` : `.${i}`);
        if (typeof item !== 'object' || item === null) return expect(span).toBeUndefined();
        expect(JSON.parse(text.slice(span?.start, span?.end))).toEqual(item);
        const before = text.slice(0, span?.start).split('\n');
        expect([span?.line, span?.col]).toEqual([before.length, (before.at(-1)?.length ?? 0) + 1]);
      });
    }), { numRuns: 300 });
  });

  it('names a List\'s items by the key as JSON.parse reads it, escapes and all', () => {
    const text = '{"kind":"List","it\\u0065ms":[{"a":"]"},[1]],"items2":[{}]}';
    const { spans } = placeJsonObjects(text);
    expect(text.slice(spans.get('items.0')?.start, spans.get('items.0')?.end)).toBe('{"a":"]"}');
    expect(text.slice(spans.get('items.1')?.start, spans.get('items.1')?.end)).toBe('[1]');
    expect(spans.get('items2.0')?.start).toBe(text.lastIndexOf('{}'));
  });

  it('measures the nesting of the whole text, below the placed objects too', () => {
    expect(placeJsonObjects('{"items":[{"a":[[["[[["]]]}]}').depth).toBe(6);
    expect(placeJsonObjects('"[{"').depth).toBe(0);
  });
});
