import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { LineCounter, parseAllDocuments, parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { blockYamlPositions } from '../../../src/load/manifests/block-yaml-positions.js';
import { fieldPositions } from '../../../src/load/manifests/field-positions.js';
import { fastYamlValues, scanDocuments } from '../../../src/load/manifests/yaml-documents.js';

/** The positional YAML reader's answer: the oracle for the indentation reading. */
function oracle(text: string, firstLine: number): Record<string, readonly [number, number]> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const shifted = { linePos: (o: number) => ({ line: lines.linePos(o).line + firstLine - 1, col: lines.linePos(o).col }) } as unknown as LineCounter;
  return { ...fieldPositions(doc.contents as never, shifted) };
}

function agrees(text: string, firstLine = 1): boolean {
  const fast = blockYamlPositions(text, firstLine);
  if (fast === null) return false;
  expect(fast).toEqual(oracle(text, firstLine));
  return true;
}

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9.\/_-]{0,12}$/);
const scalar = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 20 }), fc.stringMatching(/^[a-z*\/{}]{0,10}$/));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node;

describe('blockYamlPositions agrees with the positional YAML reader, or declines', () => {
  it('on generated objects written by the yaml package', () => {
    let read = 0;
    fc.assert(fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), fc.integer({ min: 1, max: 500 }), (obj, firstLine) => {
      if (agrees(stringify(obj), firstLine)) read++;
    }), { numRuns: 500 });
    expect(read).toBeGreaterThan(150);
  });

  it('on every document of the kubectl export fixture and of the article corpus', () => {
    const files = [resolve(__dirname, '../../fixtures/kubectl-export.yaml'), ...readdirSync(resolve(__dirname, '../../fixtures/articles')).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(resolve(__dirname, '../../fixtures/articles'), f))];
    let read = 0;
    let documents = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const span of scanDocuments(text) ?? []) {
        documents++;
        const doc = text.slice(span.start, span.end);
        if (parseDocument(doc).errors.length > 0) continue;
        if (agrees(doc, span.startLine)) read++;
      }
    }
    expect(documents).toBeGreaterThan(30);
    expect(read).toBeGreaterThan(documents / 2);
  });

  it.each([
    ['a flow mapping', 'a: { b: 1 }\n'],
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
  ])('declines %s', (_what, text) => {
    expect(blockYamlPositions(text, 1)).toBeNull();
  });
});

describe('fastYamlValues reads what the positional YAML reader reads', () => {
  it.each(['0755', '08080', '0x1F', '0o17', '1e3', '1_000', '+1', '-0', '.inf', '.NaN', 'yes', 'no', 'on', 'off', 'y', '~', 'null', 'Null', 'TRUE', 'True', '2023-01-01', '12:30:00', '"quoted"', "'it''s'", '*.example.com is not an alias'])('the scalar %s', (s) => {
    const text = `a: ${s}\n`;
    const fast = fastYamlValues(text);
    if (fast === null) return;
    expect(fast[0]).toEqual(parseDocument(text).toJS());
  });

  it('on generated documents', () => {
    fc.assert(fc.property(fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), { minLength: 1, maxLength: 4 }), (docs) => {
      const text = docs.map((d) => stringify(d)).join('---\n');
      const fast = fastYamlValues(text);
      if (fast === null) return;
      expect(fast).toEqual(docs.map((_, i) => parseAllDocuments(text)[i]?.toJS()));
    }), { numRuns: 300 });
  });
});
