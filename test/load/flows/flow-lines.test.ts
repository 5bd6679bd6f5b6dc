import { describe, expect, it } from 'vitest';
import { FlowLineReader, streamFlowLines } from '../../../src/load/flows/flow-lines.js';
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
