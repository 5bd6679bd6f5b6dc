import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fieldPositions } from '../../../src/load/manifests/field-positions.js';
import { JsonPositions } from '../../../src/load/manifests/json-positions.js';

/** JSON is YAML: the YAML reader's positions are the oracle for the JSON scanner's. */
function yamlPositions(text: string) {
  const lines = new LineCounter();
  return fieldPositions(parseDocument(text, { lineCounter: lines }).contents, lines);
}

describe('JsonPositions finds fields where the YAML reader finds them', () => {
  it('in a kubectl List: each item starts at its "{", fields relative to the item', () => {
    const text = JSON.stringify({ kind: 'List', items: [{ kind: 'A', spec: { rules: [{ to: [{ operation: { ports: ['>1'] } }] }] } }] }, null, 2);
    const index = new JsonPositions(text);
    expect(index.linePos(index.offsetOf('items.0'))).toEqual({ line: 4, col: 5 });
    expect(index.positionsBelow('items.0')['spec.rules.0.to.0.operation.ports.0']).toEqual([13, 21]);
  });

  it('agrees with the YAML reader on any JSON object, compact or indented', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 })), fc.constantFrom(0, 1, 2), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      expect(new JsonPositions(text).positionsBelow('')).toEqual(yamlPositions(text));
    }), { numRuns: 300 });
  });
});

/** Nesting of objects and arrays: what a bracket count outside strings measures. */
function nesting(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce((max: number, c) => Math.max(max, nesting(c)), 0);
}

function hasEmptyKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasEmptyKey);
  return Object.entries(value).some(([k, v]) => k === '' || hasEmptyKey(v));
}

describe('JsonPositions places the objects of a file in its one scan', () => {
  const items = fc.array(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), fc.jsonValue({ maxDepth: 4 })), { maxLength: 8 });

  it('each List item and top-level array item starts where the YAML reader puts it, and the depth is the nesting', () => {
    fc.assert(fc.property(items, fc.boolean(), fc.constantFrom(0, 2), (list, asList, indent) => {
      const root = asList ? { kind: 'List', items: list } : list;
      const text = JSON.stringify(root, null, indent);
      const index = new JsonPositions(text);
      const yaml = yamlPositions(text);
      list.forEach((item, i) => {
        const path = asList ? `items.${i}` : `.${i}`;
        const at = index.lineOf(path);
        expect(at).toEqual(index.linePos(index.offsetOf(path)));
        // Only objects and arrays are placed; a scalar item reads as the start of the file.
        if (typeof item === 'object' && item !== null) expect([at.line, at.col]).toEqual(yaml[path]);
        else expect(at).toEqual({ line: 1, col: 1 });
      });
      expect(index.depth).toBe(nesting(root));
    }), { numRuns: 300 });
  });

  it('field positions below an item are the YAML reader\'s, relative to the file', () => {
    // An empty key makes a relative path ambiguous ("a..b"), so keys here are never empty.
    const objects = fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 5 })), { minLength: 1, maxLength: 4 }).filter((list) => !hasEmptyKey(list));
    fc.assert(fc.property(objects, fc.constantFrom(0, 1, 2), (list, indent) => {
      const text = JSON.stringify({ kind: 'List', items: list }, null, indent);
      const index = new JsonPositions(text);
      const yaml = yamlPositions(text);
      list.forEach((_, i) => {
        const prefix = `items.${i}.`;
        const want = Object.fromEntries(Object.entries(yaml).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
        expect(index.positionsBelow(`items.${i}`)).toEqual(want);
      });
    }), { numRuns: 200 });
  });

  it('places a field named __proto__ like any other (an object literal would take it as its prototype)', () => {
    const text = '{"kind":"List","items":[{"__proto__":{"x":1},"a":1}]}';
    expect(Object.keys(new JsonPositions(text).positionsBelow('items.0')).sort()).toEqual(['__proto__', '__proto__.x', 'a']);
  });

  it('measures the depth of text nested far below the objects without a stack', () => {
    const deep = `{"items":[{"a":${'['.repeat(5000)}${']'.repeat(5000)}}]}`;
    expect(new JsonPositions(deep).depth).toBe(5003);
  });
});
