/**
 * Reads shard reports (`simulate --shard k/n -o jsonl`) for `merge`: each report's last line (its
 * tail, with the `shard` section) first, so that reports which cannot be merged are refused before
 * any result is written; then every report's result lines as a stream, joined in the order of their
 * `seq` (each flow's place in the whole input), with `seq` taken out again: the lines the unsharded
 * run writes, byte for byte.
 */
import { open, stat } from 'node:fs/promises';
import { fileProblem } from '../files.js';
import { LineSplitter } from '../load/flows/text-lines.js';
import { MergeRefused, type NamedTail, type ReportTail } from '../sim/merge-shards.js';
import { fileChunks } from './file-chunks.js';

export { MergeRefused, mergeTails, type ReportTail } from '../sim/merge-shards.js';

const TAIL_STEP = 64 * 1024;
const SEQ_PREFIX = '{"seq":';
const BATCH = 1024;

/** The tail (last non-blank line) of a report, parsed and checked for the fields merge reads. */
export async function readReportTail(file: string): Promise<NamedTail> {
  let text: string;
  try {
    text = await lastLine(file);
  } catch (e) {
    throw new MergeRefused(`${file}: ${fileProblem(e)}`);
  }
  let tail: unknown;
  try {
    tail = JSON.parse(text);
  } catch {
    throw new MergeRefused(`${file}: the last line is not JSON: not a report of simulate -o jsonl`);
  }
  if (!isTail(tail)) throw new MergeRefused(`${file}: the last line is not the summary line of simulate -o jsonl (schemaVersion 1, summary with counts, diagnostics, and a well-formed shard section)`);
  return { file, tail };
}

/**
 * The results of every report, in `seq` order, `seq` taken out, in batches. `sharded: false` reads one
 * report of an unsharded run: its lines as they are, the last (the tail) left out.
 */
export async function* mergedResultLines(files: readonly string[], sharded = true): AsyncGenerator<string[]> {
  const readers = files.map((file) => (sharded ? resultLines(file) : unshardedLines(file))[Symbol.asyncIterator]());
  const heads: ({ seq: number; line: string } | undefined)[] = [];
  for (const r of readers) heads.push(await next(r));
  let batch: string[] = [];
  let last = -1;
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h !== undefined && (pick < 0 || h.seq < (heads[pick] as { seq: number }).seq)) pick = i;
    }
    if (pick < 0) break;
    const head = heads[pick] as { seq: number; line: string };
    if (head.seq === last) throw new MergeRefused(`${files[pick]}: flow ${head.seq} is in another report too: the shards overlap`);
    last = head.seq;
    batch.push(head.line);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
    heads[pick] = await next(readers[pick] as AsyncIterator<{ seq: number; line: string }>);
  }
  if (batch.length > 0) yield batch;
}

async function next(it: AsyncIterator<{ seq: number; line: string }>): Promise<{ seq: number; line: string } | undefined> {
  const r = await it.next();
  return r.done ? undefined : r.value;
}

/** A report's result lines with their `seq`, in file order; the tail line ends them. */
async function* resultLines(file: string): AsyncGenerator<{ seq: number; line: string }> {
  let pending: { text: string; number: number }[] = [];
  let tailAt = 0;
  const splitter = new LineSplitter({ line: (text, number) => pending.push({ text, number }), tooLong: (number) => { throw new MergeRefused(`${file}:${number}: line too long for a report line`); } });
  let lastSeq = -1;
  const take = function* (): Generator<{ seq: number; line: string }> {
    for (const { text, number } of pending) {
      if (text === '') continue;
      if (tailAt > 0) throw new MergeRefused(`${file}:${tailAt}: a line that is not a result comes before line ${number}: not a report of simulate --shard -o jsonl`);
      const seq = seqOf(text);
      if (seq === undefined) {
        tailAt = number;
        continue;
      }
      if (seq <= lastSeq) throw new MergeRefused(`${file}:${number}: results out of order (seq ${seq} after ${lastSeq})`);
      lastSeq = seq;
      yield { seq, line: `{${text.slice(text.indexOf(',', SEQ_PREFIX.length) + 1)}` };
    }
    pending = [];
  };
  yield* splitFile(file, splitter, take);
}

/** An unsharded report's lines but the last non-blank one, numbered in file order. */
async function* unshardedLines(file: string): AsyncGenerator<{ seq: number; line: string }> {
  let held: string | undefined;
  let seq = 0;
  let lines: string[] = [];
  const splitter = new LineSplitter({ line: (text) => { if (text !== '') lines.push(text); }, tooLong: (number) => { throw new MergeRefused(`${file}:${number}: line too long for a report line`); } });
  const take = function* (): Generator<{ seq: number; line: string }> {
    for (const text of lines) {
      if (held !== undefined) yield { seq: seq++, line: held };
      held = text;
    }
    lines = [];
  };
  yield* splitFile(file, splitter, take);
}

/** Splits a file's lines into `splitter`, handing on what `take` makes of them after every piece. */
async function* splitFile<T>(file: string, splitter: LineSplitter, take: () => Generator<T>): AsyncGenerator<T> {
  try {
    for await (const chunk of fileChunks(file)) {
      for (const _ of splitter.pushInPieces(chunk)) yield* take();
    }
    splitter.end();
  } catch (e) {
    if (e instanceof MergeRefused) throw e;
    throw new MergeRefused(`${file}: ${fileProblem(e)}`);
  }
  yield* take();
}

/** The `seq` a shard's result line starts with, else undefined. */
function seqOf(line: string): number | undefined {
  if (!line.startsWith(SEQ_PREFIX)) return undefined;
  const end = line.indexOf(',', SEQ_PREFIX.length);
  const digits = line.slice(SEQ_PREFIX.length, end);
  return end > 0 && /^\d{1,15}$/.test(digits) ? Number(digits) : undefined;
}

/** The last non-blank line of a file, read from its end. */
async function lastLine(file: string): Promise<string> {
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    const pieces: Buffer[] = [];
    let end = size;
    let found = '';
    while (end > 0) {
      const start = Math.max(0, end - TAIL_STEP);
      const piece = Buffer.alloc(end - start);
      await handle.read(piece, 0, piece.length, start);
      pieces.unshift(piece);
      end = start;
      const text = Buffer.concat(pieces).toString('utf8').replace(/\s+$/, '');
      const newline = text.lastIndexOf('\n');
      if (newline >= 0 || end === 0) {
        found = text.slice(newline + 1);
        if (found !== '' || end === 0) return found;
      }
    }
    return found;
  } finally {
    await handle.close();
  }
}

function isTail(value: unknown): value is ReportTail {
  if (!isObject(value) || value['schemaVersion'] !== 1 || !Array.isArray(value['diagnostics'])) return false;
  const summary = value['summary'];
  if (!isObject(summary) || !['flows', 'allowed', 'denied', 'unencrypted'].every((k) => isCount(summary[k]))) return false;
  const components = summary['components'];
  if (components !== undefined && !(Array.isArray(components) && components.every(isCounters))) return false;
  const capture = value['capture'];
  if (capture !== undefined && !(isObject(capture) && Array.isArray(capture['captures']) && Array.isArray(capture['flowLogs']) && isObject(capture['addresses']))) return false;
  return value['shard'] === undefined || isShard(value['shard']);
}

function isShard(v: unknown): boolean {
  if (!isObject(v) || !isCount(v['index']) || !isCount(v['count']) || !isCount(v['flowsRead']) || typeof v['meshDigest'] !== 'string') return false;
  const tunnels = v['tunnels'];
  const overflowed = v['poolsOverflowed'];
  return isObject(tunnels) && Object.values(tunnels).every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string'))
    && Array.isArray(overflowed) && overflowed.every((x) => typeof x === 'string');
}

function isCounters(c: unknown): boolean {
  return isObject(c) && typeof c['component'] === 'string' && ['ztunnel', 'waypoint', 'sidecar'].includes(c['kind'] as string)
    && ['connections', 'requests', 'denials', 'tunnelsOpened', 'bytes'].every((k) => isCount(c[k]));
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
