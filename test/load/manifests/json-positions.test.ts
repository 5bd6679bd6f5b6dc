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
