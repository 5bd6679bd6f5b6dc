import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { clusterObjects } from '../../src/analysis/what-if/cluster-objects.js';
import { loadManifests, type LoadedManifests } from '../../src/load/manifests/load-manifests.js';
import { fuzzParameters, fuzzTimeout, guarded } from './support/fuzz-settings.js';
import { documentsOf, manifestCase, write } from './support/manifest-cases.js';
import { applyBreaking, applyKeeping, breakingMutation, expectLocated, lineCount } from './support/text-mutations.js';

/**
 * Manifests fuzzed the way Wireshark fuzzes dissectors with real captures: real objects (the bundled
 * scenarios and a kubectl export) mutated field by field, written as YAML documents, a YAML or JSON
 * `kind: List`, or a JSON array, and then the text itself mutated. Every case must load without an
 * exception, name a file and a line of it in every error, and account for every document and list item:
 * each is loaded, skipped as a kind the simulator does not act on, or named in a diagnostic.
 */

/**
 * How many outcomes a document holds by the contract (DESIGN.md, docs/contract.md): a mapping is one
 * object; a top-level list, or a mapping whose kind ends in `List` with an `items` list, is its items;
 * a list or an empty entry inside a list is one item that is no object; an empty document is nothing.
 */
function itemsIn(value: unknown, inList: boolean): number {
  if (Array.isArray(value)) return inList ? 1 : value.reduce((n: number, v) => n + itemsIn(v, true), 0);
  if (typeof value !== 'object' || value === null) return value === null || value === undefined ? (inList ? 1 : 0) : 1;
  const obj = value as Record<string, unknown>;
  if (typeof obj['kind'] === 'string' && obj['kind'].endsWith('List') && Array.isArray(obj['items'])) {
    return (obj['items'] as unknown[]).reduce((n: number, v) => n + itemsIn(v, true), 0);
  }
  return 1;
}

/** What the loader did with items: loaded, skipped, rejected, refused as a duplicate, or named as no object. */
function outcomes(r: LoadedManifests): number {
  const loaded = Object.values(r.stats.objects).reduce((a, b) => a + b, 0);
  const named = r.diagnostics.filter((d) => d.code === 'not-an-object').length;
  return loaded + r.stats.skipped + r.stats.rejected + named;
}

/**
 * An object defined again is named by one duplicate-object warning however often it is defined (the
 * last definition is used); with such a warning, each object defined again accounts for one item or more.
 */
const redefined = (r: LoadedManifests) => r.diagnostics.filter((d) => d.code === 'duplicate-object').length;

/** Errors that leave out a whole file or document: its items are named by them. */
const WHOLE_FILE = new Set(['yaml-too-deep', 'input-too-large', 'yaml-syntax', 'yaml-aliases', 'duplicate-key']);

/** The objects a result loaded (generated pods left out: they depend on what else the file holds) and the objects it skipped, with their lines. */
function loaded(r: LoadedManifests): Set<string> {
  const objects = clusterObjects(r.cluster).filter((o) => !(o.kind === 'Pod' && o.meta.source.line === 0));
  return new Set([...objects.map((o) => `${o.kind}/${o.meta.ref.namespace ?? ''}/${o.meta.ref.name}`), ...r.cluster.skipped.map((s) => `${s.kind}/${s.name}@${s.source.line}`)]);
}

const FILE = 'fuzz/manifests.yaml';

describe('fuzzed manifests: every item is loaded or named, every error located', () => {
  it('objects mutated field by field, in every layout, with BOMs, CRLF and keys written twice: items accounted exactly', () => {
    fc.assert(fc.property(manifestCase, ({ picks, layout, keeping }) => {
      const docs = documentsOf(picks);
      const text = applyKeeping(write(docs, layout), keeping);
      const r = guarded(() => loadManifests([{ file: FILE, text }]));
      expectLocated(r.diagnostics, new Map([[FILE, lineCount(text)]]));
      const expected = layout === 'yaml-documents' ? docs.reduce((n: number, d) => n + itemsIn(d, false), 0)
        : layout === 'json' && docs.length === 1 ? itemsIn(docs[0], false) : itemsIn(layout === 'json' ? docs : { kind: 'List', items: docs }, false);
      const counted = outcomes(r) + redefined(r);
      if (r.diagnostics.some((d) => d.severity === 'error' && WHOLE_FILE.has(d.code))) expect(counted).toBeLessThanOrEqual(expected);
      else if (redefined(r) > 0) expect(counted).toBeLessThanOrEqual(expected);
      else expect(counted).toBe(expected);
    }), fuzzParameters(300));
  }, fuzzTimeout(300));

  it('text cut, flipped or spliced anywhere: no exception, every error at a line of the file', () => {
    fc.assert(fc.property(manifestCase, fc.array(breakingMutation, { minLength: 1, maxLength: 3 }), ({ picks, layout }, breaking) => {
      const text = applyBreaking(write(documentsOf(picks), layout), breaking);
      const r = guarded(() => loadManifests([{ file: FILE, text }]));
      expectLocated(r.diagnostics, new Map([[FILE, lineCount(text)]]));
    }), fuzzParameters(300));
  }, fuzzTimeout(300));

  it('a YAML stream cut at any offset loads every object of the documents that end before the cut', () => {
    fc.assert(fc.property(manifestCase, fc.nat(), ({ picks }, at) => {
      const docs = documentsOf(picks).map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false }));
      const text = docs.join('---\n');
      const cut = at % (text.length + 1);
      // The documents wholly before the cut, with the marker that ends them.
      let whole = 0;
      let end = 0;
      while (whole < docs.length && end + (docs[whole] as string).length + 4 <= cut) end += (docs[whole++] as string).length + 4;
      const before = text.slice(0, end);
      const r = guarded(() => loadManifests([{ file: FILE, text: text.slice(0, cut) }]));
      const prefix = loadManifests([{ file: FILE, text: before }]);
      expectLocated(r.diagnostics, new Map([[FILE, lineCount(text.slice(0, cut))]]));
      // A definition after the cut may replace one before it (the last is used); none goes missing.
      const found = loaded(r);
      expect([...loaded(prefix)].filter((k) => !found.has(k))).toEqual([]);
    }), fuzzParameters(200));
  }, fuzzTimeout(200));

  it('a leading byte order mark or CRLF line ends change nothing, in YAML or JSON (YAML 1.2 §5.2 allows the one, §5.4 the other)', () => {
    fc.assert(fc.property(manifestCase, fc.boolean(), ({ picks, layout }, bom) => {
      const text = write(documentsOf(picks), layout);
      const plain = loadManifests([{ file: FILE, text }]);
      const changed = guarded(() => loadManifests([{ file: FILE, text: bom ? `\ufeff${text}` : text.replace(/\n/g, '\r\n') }]));
      // A message that quotes the file quotes its line end too.
      const shown = (r: LoadedManifests) => r.diagnostics.map((d) => ({ ...d, message: d.message.replace(/\r/g, '') }));
      expect(shown(changed)).toEqual(shown(plain));
      expect(changed.stats).toEqual(plain.stats);
    }), fuzzParameters(200));
  }, fuzzTimeout(200));

  it('files loaded together keep their errors to their own file', () => {
    fc.assert(fc.property(fc.array(fc.tuple(manifestCase, fc.array(breakingMutation, { maxLength: 1 })), { minLength: 2, maxLength: 4 }), (cases) => {
      const inputs = cases.map(([c, breaking], i) => ({ file: `fuzz/${i}.${c.layout.startsWith('json') ? 'json' : 'yaml'}`, text: applyBreaking(write(documentsOf(c.picks), c.layout), breaking) }));
      const r = guarded(() => loadManifests(inputs));
      expectLocated(r.diagnostics, new Map(inputs.map((i) => [i.file, lineCount(i.text)])));
    }), fuzzParameters(60));
  }, fuzzTimeout(60));
});
