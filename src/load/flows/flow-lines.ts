import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import { readFlowEntry, type EntryContext } from './flow-entry.js';
import { SeenFlowIds } from './seen-flow-ids.js';
import { LineSplitter, MAX_LINE_CHARS, type LineSink } from './text-lines.js';
import { parserMessage } from '../excerpt.js';

/** Where the reader is: the entry being read, as flowFromEntry takes it (one object, updated per line). */
type Position = { -readonly [K in keyof EntryContext]: EntryContext[K] };

/**
 * Reads JSONL flows (one flow per line, DESIGN.md "Flows file") line by line: each line becomes a
 * flow, or error diagnostics with file and line; ids used again are warned about. Keeps only the ids
 * seen so far (for that warning, most of them as numbers), so any number of lines can be read.
 * As a line sink it collects the flows it reads until they are taken.
 */
export class FlowLineReader implements LineSink {
  private readonly ids = new SeenFlowIds();
  private readonly at: Position;
  private flows: Flow[] = [];
  /** Entries read (valid or not) and entries dropped as invalid. */
  entries = 0;
  dropped = 0;

  constructor(private readonly file: string, kind: EntryContext['kind'], private readonly diagnostics: Diagnostic[]) {
    this.at = { file, line: 0, index: 0, kind };
  }

  /** One line of the file; blank lines are skipped. */
  read(raw: string, line: number): Flow | undefined {
    const value = this.parse(raw, line);
    if (value === BLANK || value === INVALID) return undefined;
    this.at.line = line;
    this.at.index = this.entries - 1;
    const flow = readFlowEntry(value, this.at, this.diagnostics);
    if (!flow) {
      this.dropped++;
      return undefined;
    }
    this.checkId(flow.id, line);
    return flow;
  }

  /** A line as a sink takes it: its flow, if any, is kept until `take()`. */
  line(raw: string, line: number): void {
    const flow = this.read(raw, line);
    if (flow) this.flows.push(flow);
  }

  /** A line over the length limit: reported, and counted as a dropped entry. */
  tooLong(line: number): void {
    this.entries++;
    this.drop({ severity: 'error', code: 'json-syntax', file: this.file, line, message: `${this.file}:${line}: line is longer than ${MAX_LINE_CHARS} characters; a flow fits on one short line` });
  }

  /** The flows read since the last call. */
  take(): Flow[] {
    const flows = this.flows;
    this.flows = [];
    return flows;
  }

  /** Flows read and not yet taken. */
  get pending(): number {
    return this.flows.length;
  }

  /**
   * The line's JSON value, counting it as an entry unless it is blank. JSON.parse skips the JSON
   * whitespace around a value itself; only a line it refuses is trimmed (as any line used to be, so
   * Unicode spaces around a value, a byte order mark, and their messages stay as they were).
   */
  private parse(raw: string, line: number): unknown {
    if (raw === '') return BLANK;
    try {
      const value: unknown = JSON.parse(raw);
      this.entries++;
      return value;
    } catch {
      return this.parseTrimmed(raw.trim(), line);
    }
  }

  private parseTrimmed(text: string, line: number): unknown {
    if (text === '') return BLANK;
    this.entries++;
    try {
      return JSON.parse(text);
    } catch (e) {
      this.drop({ severity: 'error', code: 'json-syntax', file: this.file, line, message: `${this.file}:${line}: not valid JSON: ${parserMessage((e as Error).message)}` });
      return INVALID;
    }
  }

  private drop(d: Diagnostic): void {
    this.dropped++;
    this.diagnostics.push(d);
  }

  private checkId(id: string, line: number): void {
    const first = this.ids.firstLine(id, line);
    if (first === undefined) return;
    this.diagnostics.push({ severity: 'warning', code: 'duplicate-flow-id', file: this.file, line, message: `${this.file}:${line}: flow id "${id}" is used again (first at line ${first}); results and diffs are joined on id` });
  }
}

/** What a line held besides a JSON value: nothing, or text that is not JSON. */
const BLANK: unique symbol = Symbol('blank line');
const INVALID: unique symbol = Symbol('invalid line');

/**
 * Streams JSONL flows from byte chunks: a batch of flows per piece of a chunk (at most PIECE_BYTES,
 * so a batch's flows die young once used), read with bounded memory (one unfinished line and the
 * ids seen). Problems go to `diagnostics` as they are found.
 */
export async function* streamFlowLines(chunks: AsyncIterable<Uint8Array | string>, reader: FlowLineReader): AsyncGenerator<Flow[]> {
  const splitter = new LineSplitter(reader);
  for await (const chunk of chunks) {
    for (const _ of splitter.pushInPieces(chunk)) {
      if (reader.pending > 0) yield reader.take();
    }
  }
  splitter.end();
  if (reader.pending > 0) yield reader.take();
}
