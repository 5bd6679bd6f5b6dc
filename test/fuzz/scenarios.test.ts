import fc from 'fast-check';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/load/manifests/load-manifests.js';
import { parseScenario, type ParsedScenario } from '../../src/load/scenario/parse-scenario.js';
import { parseWhatIfFile } from '../../src/load/scenario/parse-what-if.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { fuzzParameters, fuzzTimeout, guarded } from './support/fuzz-settings.js';
import { scenarioCase, write } from './support/scenario-cases.js';
import { applyBreaking, applyKeeping, breakingMutation, expectLocated, keepingMutation, lineCount } from './support/text-mutations.js';

/**
 * Scenario files (DESIGN.md "Scenario file") fuzzed from the bundled scenarios, and variants of them
 * with their flows and `apply` objects written inline: fields mutated, then the text. Every
 * expectation, what-if step and inline flow is parsed or named by an error at a line inside it;
 * inline objects are loaded with diagnostics at their lines in the scenario file.
 */
const FILE = 'fuzz/scenario.yaml';

interface ItemLines {
  readonly first: number;
  readonly last: number;
  /** The item is a string: in `traffic.flows`, a flows file's name. */
  readonly text: boolean;
}

/** The lines of each item of the list at `path`, found by reading the text with positions. */
function itemLines(text: string, path: readonly string[]): ItemLines[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const node = doc.getIn(path, true);
  if (!isSeq(node)) return [];
  return node.items.flatMap((item) => {
    const range = (item as { range?: [number, number, number] }).range;
    if (!range) return [];
    const first = counter.linePos(range[0]).line;
    return [{ first, last: counter.linePos(Math.max(range[0], range[1] - 1)).line, text: isScalar(item) && typeof item.value === 'string' }];
  });
}

const errorLines = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error').map((d) => d.line ?? 0);

/** Each item of a list is parsed (one of `parsed` lines is inside it) or named by an error inside it. */
function expectItemsAccounted(items: readonly ItemLines[], parsed: readonly number[], errors: readonly number[], what: string): void {
  for (const { first, last } of items) {
    const inside = (l: number) => l >= first && l <= last;
    expect(parsed.some(inside) || errors.some(inside), `${what} at lines ${first}-${last} is neither parsed nor named`).toBe(true);
  }
}

function expectScenarioAccounted(text: string, r: ParsedScenario): void {
  const s = r.scenario;
  if (!s || !isMap(parseDocument(text).contents)) return;
  const errors = errorLines(r.diagnostics);
  expectItemsAccounted(itemLines(text, ['expect']), s.expect.map((e) => e.source.line), errors, 'expectation');
  expectItemsAccounted(itemLines(text, ['whatIf']), s.whatIf.map((w) => w.source.line), errors, 'what-if step');
  const inline = itemLines(text, ['traffic', 'flows']).filter((item) => !item.text);
  expectItemsAccounted(inline, s.traffic.inlineFlows.map((f) => f.origin?.source?.line ?? 0), errors, 'inline flow');
}

/** Objects inline in `apply` steps load with their diagnostics at lines of the scenario file. */
function expectInlineObjectsLocated(r: ParsedScenario, lines: number): void {
  for (const step of r.scenario?.whatIf ?? []) {
    if (step.kind !== 'apply' || step.inline.length === 0) continue;
    const loaded = guarded(() => loadManifests(step.inline));
    expectLocated(loaded.diagnostics, new Map([[FILE, lines]]));
  }
}

describe('fuzzed scenario files: every expectation, step and inline flow parsed or named at its line', () => {
  it('scenarios mutated field by field, with BOMs, CRLF and keys written twice', () => {
    fc.assert(fc.property(scenarioCase, fc.array(keepingMutation, { maxLength: 2 }), (c, keeping) => {
      const text = applyKeeping(write(c), keeping);
      const r = guarded(() => parseScenario(text, FILE));
      expectLocated(r.diagnostics, new Map([[FILE, lineCount(text)]]));
      if (!r.scenario) expect(errorLines(r.diagnostics).length).toBeGreaterThan(0);
      expectScenarioAccounted(text, r);
      expectInlineObjectsLocated(r, lineCount(text));
    }), fuzzParameters(200));
  }, fuzzTimeout(200));

  it('a leading byte order mark or CRLF line ends change nothing (YAML 1.2 §5.2 allows the one, §5.4 the other)', () => {
    fc.assert(fc.property(scenarioCase, fc.boolean(), (c, bom) => {
      const text = write(c);
      const changed = guarded(() => parseScenario(bom ? `\ufeff${text}` : text.replace(/\n/g, '\r\n'), FILE));
      // A message that quotes the file quotes its line end too.
      const shown = (r: ParsedScenario) => r.diagnostics.map((d) => ({ ...d, message: d.message.replace(/\r/g, '') }));
      expect(shown(changed)).toEqual(shown(parseScenario(text, FILE)));
    }), fuzzParameters(200));
  }, fuzzTimeout(200));

  it('scenario text cut, flipped or spliced anywhere: no exception, every error at a line of the file', () => {
    fc.assert(fc.property(scenarioCase, fc.array(breakingMutation, { minLength: 1, maxLength: 3 }), (c, breaking) => {
      const text = applyBreaking(write(c), breaking);
      const r = guarded(() => parseScenario(text, FILE));
      expectLocated(r.diagnostics, new Map([[FILE, lineCount(text)]]));
      expectInlineObjectsLocated(r, lineCount(text));
      const steps = guarded(() => parseWhatIfFile(text, FILE));
      expectLocated(steps.diagnostics, new Map([[FILE, lineCount(text)]]));
    }), fuzzParameters(200));
  }, fuzzTimeout(200));
});
