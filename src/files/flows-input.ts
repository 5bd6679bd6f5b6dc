/**
 * Reads a flows file (`--flows`, a path or `-` for standard input) as a stream of flow batches. JSONL
 * is read line by line with bounded memory; a YAML or JSON list is read whole, so it is refused above
 * a size limit with an error that points to JSONL.
 */
import { fileProblem, unreadable } from '../files.js';
import { FlowLineReader, streamFlowLines } from '../load/flows/flow-lines.js';
import { isJsonLines, parseFlows } from '../load/flows/parse-flows.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import { fileChunks } from './file-chunks.js';

/** A JSON list flows file is read whole, so it is limited to this size (JSONL has no limit). */
export const MAX_JSON_FLOWS_BYTES = 16 * 1024 * 1024;
/** A YAML flows file is read whole and parsed with positions (slow), so it is limited to this size. */
export const MAX_YAML_FLOWS_BYTES = 2 * 1024 * 1024;
/** How much of the input is looked at to tell JSONL from a YAML or JSON list. */
const SNIFF_BYTES = 64 * 1024;
const BATCH = 4096;

/** What a flows file held: entries read, entries dropped as invalid, and flows kept. */
export interface FlowsFileCounts {
  entries: number;
  dropped: number;
  flows: number;
}

/** Where a flows file comes from: a path, or `-` with the chunks of standard input. */
export interface FlowsSource {
  readonly file: string;
  readonly stdin?: AsyncIterable<Uint8Array>;
  /** What the flows' origin says they came from (a flow log in the flows-file format, or a flows file). */
  readonly kind?: 'flows-file' | 'flow-log';
}

/**
 * The flows of a flows file in batches, in file order. Every problem goes to `diagnostics` with file
 * and line; `counts` is filled as the file is read. A file with no flow at all gets a `no-flows` error.
 */
export async function* readFlowsInput(source: FlowsSource, diagnostics: Diagnostic[], counts: FlowsFileCounts): AsyncGenerator<Flow[]> {
  const name = source.file === '-' ? '(stdin)' : source.file;
  const before = diagnostics.length;
  try {
    const chunks = source.file === '-' ? source.stdin ?? emptyChunks() : fileChunks(source.file);
    const { head, rest } = await peek(chunks[Symbol.asyncIterator]());
    const text = new TextDecoder().decode(head.length === 1 ? head[0] : Buffer.concat(head));
    const kind = source.kind ?? 'flows-file';
    if (isJsonLines(text.slice(0, 1024), name)) yield* jsonLines(head, rest, { file: name, kind }, diagnostics, counts);
    else yield* wholeList(head, rest, { file: name, kind }, diagnostics, counts);
  } catch (e) {
    diagnostics.push(unreadable(name, fileProblem(e)));
    return;
  }
  if (counts.flows === 0 && !diagnostics.slice(before).some((d) => d.code === 'unreadable-input' || d.code === 'input-too-large')) {
    diagnostics.push({ severity: 'error', code: 'no-flows', file: name, message: `${name}: no flows in the file; a flows file is a YAML or JSON list of flows, or JSONL (one flow per line)` });
  }
}

interface Named {
  readonly file: string;
  readonly kind: 'flows-file' | 'flow-log';
}

async function* jsonLines(head: Uint8Array[], rest: AsyncIterator<Uint8Array>, { file, kind }: Named, diagnostics: Diagnostic[], counts: FlowsFileCounts): AsyncGenerator<Flow[]> {
  const reader = new FlowLineReader(file, kind, diagnostics);
  for await (const batch of streamFlowLines(chain(head, rest), reader)) {
    counts.flows += batch.length;
    counts.entries = reader.entries;
    counts.dropped = reader.dropped;
    yield batch;
  }
  counts.entries = reader.entries;
  counts.dropped = reader.dropped;
}

async function* wholeList(head: Uint8Array[], rest: AsyncIterator<Uint8Array>, { file, kind }: Named, diagnostics: Diagnostic[], counts: FlowsFileCounts): AsyncGenerator<Flow[]> {
  const json = new TextDecoder().decode(head[0]?.subarray(0, 1024)).trimStart().startsWith('[');
  const limit = json ? MAX_JSON_FLOWS_BYTES : MAX_YAML_FLOWS_BYTES;
  const parts = [...head];
  let size = parts.reduce((n, p) => n + p.length, 0);
  for (let next = await rest.next(); !next.done && size <= limit; next = await rest.next()) {
    parts.push(next.value.slice());
    size += next.value.length;
  }
  if (size > limit) {
    await rest.return?.();
    diagnostics.push({
      severity: 'error', code: 'input-too-large', file,
      message: `${file}: a ${json ? 'JSON' : 'YAML'} flows file is read whole and is limited to ${limit / (1024 * 1024)} MiB; write one flow per line as JSONL (a file ending in .jsonl, or lines starting with "{") to stream any number of flows`,
    });
    return;
  }
  const parsed = parseFlows(new TextDecoder().decode(Buffer.concat(parts)), file);
  for (const d of parsed.diagnostics) diagnostics.push(d);
  const flows = kind === 'flows-file' ? parsed.flows : parsed.flows.map((f) => ({ ...f, origin: { ...f.origin, kind } }));
  counts.flows = flows.length;
  counts.dropped = parsed.diagnostics.filter((d) => d.code === 'invalid-flow').length;
  counts.entries = counts.flows + counts.dropped;
  for (let i = 0; i < flows.length; i += BATCH) yield flows.slice(i, i + BATCH);
}

/** Reads (and copies: file chunks share one buffer) the first chunks, up to `SNIFF_BYTES`. */
async function peek(it: AsyncIterator<Uint8Array>): Promise<{ head: Uint8Array[]; rest: AsyncIterator<Uint8Array> }> {
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) break;
    head.push(next.value.slice());
    size += next.value.length;
  }
  return { head, rest: it };
}

async function* chain(head: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const h of head) yield h;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function* emptyChunks(): AsyncGenerator<Uint8Array> {}
