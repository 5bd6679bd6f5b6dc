import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import { flowFromEntry, type EntryContext } from './flow-entry.js';
import { LineSplitter, MAX_LINE_CHARS } from './text-lines.js';

/**
 * Reads JSONL flows (one flow per line, DESIGN.md "Flows file") line by line: each line becomes a
 * flow, or error diagnostics with file and line; ids used again are warned about. Keeps only the ids
 * seen so far (for that warning), so any number of lines can be read.
 */
export class FlowLineReader {
  private index = 0;
  private readonly firstLineOfId = new Map<string, number>();
  /** Entries read (valid or not) and entries dropped as invalid. */
  entries = 0;
  dropped = 0;

  constructor(private readonly file: string, private readonly kind: EntryContext['kind'], private readonly diagnostics: Diagnostic[]) {}

  /** One line of the file; blank lines are skipped. */
  read(raw: string, line: number): Flow | undefined {
    const text = raw.trim();
    if (text === '') return undefined;
    this.entries++;
    const index = this.index++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.drop({ severity: 'error', code: 'json-syntax', file: this.file, line, message: `${this.file}:${line}: not valid JSON: ${(e as Error).message}` });
      return undefined;
    }
    const r = flowFromEntry(value, { file: this.file, line, index, kind: this.kind });
    for (const d of r.diagnostics) this.diagnostics.push(d);
    if (!r.flow) {
      this.dropped++;
      return undefined;
    }
    this.checkId(r.flow.id, line);
    return r.flow;
  }

  /** A line over the length limit: reported, and counted as a dropped entry. */
  tooLong(line: number): void {
    this.entries++;
    this.index++;
    this.drop({ severity: 'error', code: 'json-syntax', file: this.file, line, message: `${this.file}:${line}: line is longer than ${MAX_LINE_CHARS} characters; a flow fits on one short line` });
  }

  private drop(d: Diagnostic): void {
    this.dropped++;
    this.diagnostics.push(d);
  }

  private checkId(id: string, line: number): void {
    const first = this.firstLineOfId.get(id);
    if (first === undefined) {
      this.firstLineOfId.set(id, line);
      return;
    }
    this.diagnostics.push({ severity: 'warning', code: 'duplicate-flow-id', file: this.file, line, message: `${this.file}:${line}: flow id "${id}" is used again (first at line ${first}); results and diffs are joined on id` });
  }
}

/**
 * Streams JSONL flows from byte chunks: one batch of flows per chunk, read with bounded memory (one
 * unfinished line and the ids seen). Problems go to `diagnostics` as they are found.
 */
export async function* streamFlowLines(chunks: AsyncIterable<Uint8Array | string>, reader: FlowLineReader): AsyncGenerator<Flow[]> {
  let batch: Flow[] = [];
  const splitter = new LineSplitter({
    line: (text, n) => {
      const flow = reader.read(text, n);
      if (flow) batch.push(flow);
    },
    tooLong: (n) => reader.tooLong(n),
  });
  for await (const chunk of chunks) {
    splitter.push(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end();
  if (batch.length > 0) yield batch;
}
