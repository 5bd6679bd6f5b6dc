import { describe, expect, it } from 'vitest';
import { FlowLineReader, streamFlowLines } from '../../../src/load/flows/flow-lines.js';
import { LineSplitter, MAX_LINE_CHARS } from '../../../src/load/flows/text-lines.js';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { Flow } from '../../../src/model/flow.js';

const line = (id: string) => JSON.stringify({ id, source: { workload: 'a/b' }, destination: { service: 'c/d', port: 80 } });

async function read(...chunks: (Uint8Array | string)[]): Promise<{ batches: Flow[][]; diagnostics: Diagnostic[]; reader: FlowLineReader }> {
  const diagnostics: Diagnostic[] = [];
  const reader = new FlowLineReader('f.jsonl', 'flows-file', diagnostics);
  const batches: Flow[][] = [];
  async function* source() { yield* chunks; }
  for await (const b of streamFlowLines(source(), reader)) batches.push(b);
  return { batches, diagnostics, reader };
}

describe('FlowLineReader reads JSONL lines as the trimmed lines they were', () => {
  it('reads a value with a byte order mark or Unicode spaces around it, and skips a line of only such spaces', async () => {
    const r = await read(`\uFEFF${line('a')}\n\u00a0\n ${line('b')}\u00a0\n`);
    expect(r.batches.flat().map((f) => [f.id, f.origin?.source?.line])).toEqual([['a', 1], ['b', 3]]);
    expect(r.reader.entries).toBe(2);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports text that is not JSON with the message of the trimmed line, and a duplicate id with its first line', async () => {
    const r = await read(` nope \n${line('f1')}\n${line('f1')}\n`);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      `f.jsonl:1: not valid JSON: ${(() => { try { JSON.parse('nope'); } catch (e) { return (e as Error).message; } })()}`,
      'f.jsonl:3: flow id "f1" is used again (first at line 2); results and diffs are joined on id',
    ]);
  });

  it('hands on a large chunk\'s flows in several batches, in order', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `f${i}`);
    const r = await read(new TextEncoder().encode(ids.map(line).join('\n')));
    expect(r.batches.length).toBeGreaterThan(1);
    expect(r.batches.flat().map((f) => f.id)).toEqual(ids);
  });
});

describe('a line over the length limit ends the reading (found by test/fuzz: a link to /dev/zero named as a .jsonl flows file was read forever)', () => {
  it('an endless line of NUL bytes stops the stream once it passes MAX_LINE_CHARS, with one error at its line', async () => {
    const diagnostics: Diagnostic[] = [];
    const reader = new FlowLineReader('zero.jsonl', 'flows-file', diagnostics);
    const chunk = new Uint8Array(1 << 20);
    let pulled = 0;
    async function* endless() {
      yield new TextEncoder().encode(`${line('a')}\n`);
      for (;;) {
        // Endless, as far as the reader can tell; the test gives up well past the limit.
        if (++pulled > 64) throw new Error(`read ${pulled - 1} MiB of one line and went on reading`);
        yield chunk;
      }
    }
    const flows: Flow[] = [];
    for await (const b of streamFlowLines(endless(), reader)) flows.push(...b);
    expect(flows.map((f) => f.id)).toEqual(['a']);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'json-syntax', line: 2 })]);
    expect(diagnostics[0]?.message).toContain('reading stopped here');
    // The first chunk past the limit ends it: 16 MiB of 1 MiB chunks, and the one that goes over.
    expect(pulled).toBe(MAX_LINE_CHARS / chunk.length + 1);
    expect([reader.entries, reader.dropped]).toEqual([2, 1]);
  });

  it('lines after an over-long line are not split: the splitter has stopped', () => {
    const lines: string[] = [];
    const long: number[] = [];
    const splitter = new LineSplitter({ line: (l) => lines.push(l), tooLong: (n) => long.push(n) }, 8);
    splitter.push('short\n0123456789');
    splitter.push('more\nafter\n');
    splitter.end();
    expect([lines, long, splitter.stopped]).toEqual([['short'], [2], true]);
  });
});
