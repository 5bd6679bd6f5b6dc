import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_YAML_FLOWS_BYTES, readFlowsInput, type FlowsFileCounts, type FlowsSource } from '../../src/files/flows-input.js';
import { pullBatches } from '../../src/files/pull-batches.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Flow } from '../../src/model/flow.js';

const dir = mkdtempSync(join(tmpdir(), 'flows-input-'));
const line = (id: string, port = 80) => JSON.stringify({ id, source: { workload: 'a/b' }, destination: { service: 'c/d', port } });

async function read(source: FlowsSource): Promise<{ flows: Flow[]; batches: number; diagnostics: Diagnostic[]; counts: FlowsFileCounts }> {
  const diagnostics: Diagnostic[] = [];
  const counts = { entries: 0, dropped: 0, flows: 0 };
  const flows: Flow[] = [];
  let batches = 0;
  for await (const batch of readFlowsInput(source, diagnostics, counts)) {
    batches++;
    for (const f of batch) flows.push(f);
  }
  return { flows, batches, diagnostics, counts };
}

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

describe('readFlowsInput() streams flows files', () => {
  it('reads JSONL in file order across chunk boundaries, counting entries and dropped ones with their lines', async () => {
    const text = `${line('a')}\n${line('b', 0)}\n\nnot json\n${line('c')}\n`;
    const cut = text.indexOf('"b"') + 2;
    const r = await read({ file: '-', stdin: chunksOf(text.slice(0, cut), text.slice(cut)) });
    expect(r.flows.map((f) => f.id)).toEqual(['a', 'c']);
    expect(r.flows[1]?.origin?.source?.line).toBe(5);
    expect(r.counts).toEqual({ entries: 4, dropped: 2, flows: 2 });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['invalid-flow', 2], ['json-syntax', 4]]);
    expect(r.diagnostics[0]?.message).toMatch(/^\(stdin\):2: /);
  });

  it('reads a YAML list from standard input as a flows file', async () => {
    const r = await read({ file: '-', stdin: chunksOf('- { source: { workload: a/b }, destination: { service: c/d, port: 80 } }\n') });
    expect(r.flows).toHaveLength(1);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports a file with no flow at all as a no-flows error', async () => {
    const file = join(dir, 'empty.jsonl');
    writeFileSync(file, '\n\n');
    const r = await read({ file });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'no-flows', file })]);
  });

  it('refuses a YAML flows file over its limit, naming the file and pointing to JSONL', async () => {
    const file = join(dir, 'big.yaml');
    const entry = '- { source: { workload: a/b }, destination: { service: c/d, port: 80 } }\n';
    writeFileSync(file, entry.repeat(Math.ceil((MAX_YAML_FLOWS_BYTES + 1) / entry.length)));
    const r = await read({ file });
    expect(r.flows).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'input-too-large', file })]);
    expect(r.diagnostics[0]?.message).toMatch(/big\.yaml: a YAML flows file is read whole and is limited to 2 MiB; write one flow per line as JSONL/);
  });

  it('reports a missing file as unreadable input', async () => {
    const r = await read({ file: join(dir, 'nope.jsonl') });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'unreadable-input', message: expect.stringMatching(/no such file or directory/) })]);
  });

  it('gives JSONL flows of a flow log the flow-log origin', async () => {
    const r = await read({ file: '-', stdin: chunksOf(`${line('a')}\n`), kind: 'flow-log' });
    expect(r.flows[0]?.origin?.kind).toBe('flow-log');
  });
});

describe('pullBatches() lets the consumer pace the producer', () => {
  it('hands over each paced batch and never runs more than one batch ahead', async () => {
    const log: string[] = [];
    const batches = pullBatches<number>(async (push, pace) => {
      for (let chunk = 0; chunk < 3; chunk++) {
        push(chunk * 2);
        push(chunk * 2 + 1);
        log.push(`produced ${chunk}`);
        await pace();
      }
    });
    const seen: number[][] = [];
    for await (const b of batches) {
      log.push(`consumed ${b.join(',')}`);
      seen.push(b);
    }
    expect(seen).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(log).toEqual(['produced 0', 'consumed 0,1', 'produced 1', 'consumed 2,3', 'produced 2', 'consumed 4,5']);
  });

  it('passes the producer\'s error to the consumer', async () => {
    const batches = pullBatches<number>(async (push, pace) => {
      push(1);
      await pace();
      throw new Error('broken capture');
    });
    const seen: number[][] = [];
    await expect((async () => { for await (const b of batches) seen.push(b); })()).rejects.toThrow('broken capture');
    expect(seen).toEqual([[1]]);
  });
});
