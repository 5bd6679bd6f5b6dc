import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFlowsInput, type FlowsFileCounts } from '../../src/files/flows-input.js';
import { parseFlows, type ParsedFlows } from '../../src/load/flows/parse-flows.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Flow } from '../../src/model/flow.js';
import { fuzzParameters, fuzzTimeout, guarded, guardedAsync } from './support/fuzz-settings.js';
import { entriesOf, FILES, flowsCase, write } from './support/flow-cases.js';
import { applyBreaking, applyKeeping, breakingMutation, expectLocated, keepingMutation, lineCount } from './support/text-mutations.js';

/**
 * Flows files (DESIGN.md "Flows file": a YAML or JSON list, or JSONL) fuzzed from the bundled
 * scenarios' flows: entries mutated field by field, then the text mutated. Every entry becomes a flow
 * or an error at its line; JSONL read in chunks of any size reads as the whole text does.
 */
const dropped = (r: ParsedFlows) => r.diagnostics.filter((d) => d.severity === 'error' && (d.code === 'invalid-flow' || d.code === 'json-syntax')).length;
const whole = (r: ParsedFlows) => r.diagnostics.some((d) => d.code === 'yaml-syntax' || d.code === 'invalid-flows-file');

/** A flow and where it came from, to compare two readings. */
const shownFlow = (f: Flow) => `${f.origin?.source?.line}:${JSON.stringify({ ...f, origin: undefined })}`;

async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? bytes.length);
    yield bytes.slice(at, at + n);
    at += n;
  }
}

async function readStreamed(text: string, sizes: readonly number[]): Promise<{ flows: Flow[]; diagnostics: Diagnostic[]; counts: FlowsFileCounts }> {
  const diagnostics: Diagnostic[] = [];
  const counts: FlowsFileCounts = { entries: 0, dropped: 0, flows: 0 };
  const flows: Flow[] = [];
  const stdin = chunked(new TextEncoder().encode(text), sizes);
  for await (const batch of readFlowsInput({ file: '-', stdin, kind: 'flows-file' }, diagnostics, counts)) for (const f of batch) flows.push(f);
  return { flows, diagnostics, counts };
}

describe('fuzzed flows files: every entry is a flow or an error at its line', () => {
  it('entries mutated field by field, as YAML, JSON and JSONL, with BOMs, CRLF and keys written twice: entries accounted exactly', () => {
    fc.assert(fc.property(flowsCase, fc.array(keepingMutation, { maxLength: 2 }), ({ picks, layout }, keeping) => {
      const entries = entriesOf(picks);
      const text = applyKeeping(write(entries, layout), layout === 'jsonl' ? keeping.filter((k) => k.op !== 'duplicate-key') : keeping);
      const r = guarded(() => parseFlows(text, FILES[layout]));
      expectLocated(r.diagnostics, new Map([[FILES[layout], lineCount(text)]]));
      // A YAML error (a key written twice is one, YAML 1.2 §3.2.1.1) fails the file as a whole, at its line.
      if (whole(r)) expect(r.flows).toEqual([]);
      else expect(r.flows.length + dropped(r)).toBe(entries.length);
      if (layout === 'jsonl') r.flows.forEach((f) => expect(entries[(f.origin?.source?.line ?? 0) - 1]).toBeDefined());
    }), fuzzParameters(500));
  }, fuzzTimeout(500));

  it('text cut, flipped or spliced anywhere: no exception; every error at a line of the file; a file that fails whole says so', () => {
    fc.assert(fc.property(flowsCase, fc.array(breakingMutation, { minLength: 1, maxLength: 3 }), ({ picks, layout }, breaking) => {
      const text = applyBreaking(write(entriesOf(picks), layout), breaking);
      const r = guarded(() => parseFlows(text, FILES[layout]));
      expectLocated(r.diagnostics, new Map([[FILES[layout], lineCount(text)]]));
      if (r.flows.length === 0 && text.trim() !== '' && !whole(r)) expect(dropped(r) + r.diagnostics.length).toBeGreaterThan(0);
    }), fuzzParameters(300));
  }, fuzzTimeout(300));

  it('a leading byte order mark or CRLF line ends change nothing, in any layout', () => {
    fc.assert(fc.property(flowsCase, fc.boolean(), ({ picks, layout }, bom) => {
      const text = write(entriesOf(picks), layout);
      const changed = guarded(() => parseFlows(bom ? `\ufeff${text}` : text.replace(/\n/g, '\r\n'), FILES[layout]));
      const shown = (r: ParsedFlows) => ({ flows: r.flows.map(shownFlow), diagnostics: r.diagnostics.map((d) => ({ ...d, message: d.message.replace(/\r/g, '') })) });
      expect(shown(changed)).toEqual(shown(parseFlows(text, FILES[layout])));
    }), fuzzParameters(200));
  }, fuzzTimeout(200));

  it('JSONL cut at any offset keeps every line before the cut as it reads uncut', () => {
    fc.assert(fc.property(flowsCase, fc.nat(), ({ picks }, at) => {
      const text = write(entriesOf(picks), 'jsonl');
      const cut = text.slice(0, at % (text.length + 1));
      const complete = cut.slice(0, cut.lastIndexOf('\n') + 1);
      const r = guarded(() => parseFlows(cut, FILES.jsonl));
      const before = parseFlows(complete, FILES.jsonl);
      const last = lineCount(complete);
      expect(r.flows.filter((f) => (f.origin?.source?.line ?? 0) < last).map(shownFlow)).toEqual(before.flows.map(shownFlow));
    }), fuzzParameters(500));
  }, fuzzTimeout(500));

  it('a flows file read from a stream in chunks of any size reads as the whole text does, and counts every entry', async () => {
    await fc.assert(fc.asyncProperty(flowsCase, fc.array(breakingMutation, { maxLength: 2 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }), async ({ picks, layout }, breaking, sizes) => {
      const text = applyBreaking(write(entriesOf(picks), layout), breaking);
      // Standard input has no name to tell JSONL by: its first character does.
      if (layout === 'jsonl' && !text.replace(/^\ufeff/, '').trimStart().startsWith('{')) return;
      const streamed = await guardedAsync(() => readStreamed(text, sizes));
      // What reaches the reader is UTF-8: a lone surrogate in the text is U+FFFD in the bytes.
      const whole = parseFlows(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(text)), '(stdin)');
      expect(streamed.flows.map(shownFlow)).toEqual(whole.flows.map(shownFlow));
      expect(streamed.counts.flows).toBe(whole.flows.length);
      expect(streamed.counts.flows + streamed.counts.dropped).toBe(streamed.counts.entries);
      expect(streamed.diagnostics.filter((d) => d.code !== 'no-flows')).toEqual(whole.diagnostics);
    }), fuzzParameters(250));
  }, fuzzTimeout(250));
});
