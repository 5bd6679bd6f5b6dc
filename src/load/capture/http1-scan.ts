import { isToken, isWhitespace, latin1Text, lowerLatin1Text } from './latin1.js';

/** Byte scanning for HTTP/1 heads and lines: where they end, and their parts as text. */

export const LF = 10;
export const CR = 13;
export const SP = 32;

/**
 * Where the line feeds of the head last found by {@link headEnd} are, when its search began at the
 * head's first byte and that byte is not a line break: `lineFeeds[0 .. lineFeedCount)`, for the head
 * starting at `recordedHead` in `recordedBytes`. The parse that follows reads the lines from there.
 */
const MAX_RECORDED_LINES = 64;
const lineFeeds = new Int32Array(MAX_RECORDED_LINES);
let lineFeedCount = -1;
let recordedBytes: Uint8Array | undefined;
let recordedHead = -1;

/** Length of the unit of `b[s..e)` that ends just past the blank line ending a head (leading blank lines skipped), or -1; searched from `s + from`. */
export function headEnd(b: Uint8Array, s: number, e: number, from: number): number {
  let lead = s;
  while (lead < e && (b[lead] === CR || b[lead] === LF)) lead++;
  let i = s + from;
  if (i < lead) i = lead;
  const record = i === s;
  let count = 0;
  for (; i < e; i++) {
    if (b[i] !== LF) continue;
    if (record && count < MAX_RECORDED_LINES) lineFeeds[count] = i;
    count++;
    if (i + 1 < e && b[i + 1] === LF) return found(record, count + 1, i + 1, b, s, i + 2 - s);
    if (i + 2 < e && b[i + 1] === CR && b[i + 2] === LF) return found(record, count + 1, i + 2, b, s, i + 3 - s);
  }
  return -1;
}

function found(record: boolean, count: number, last: number, b: Uint8Array, s: number, length: number): number {
  if (record && count <= MAX_RECORDED_LINES) {
    lineFeeds[count - 1] = last;
    lineFeedCount = count;
    recordedBytes = b;
    recordedHead = s;
  } else lineFeedCount = -1;
  return length;
}

export function lineEnd(b: Uint8Array, s: number, e: number, from: number): number {
  for (let i = s + from; i < e; i++) if (b[i] === LF) return i + 1 - s;
  return -1;
}

/** True when `b[s..e)` may still begin a request: CR/LF, then at most 24 token bytes, then a space or the end. */
export function mayStartRequest(b: Uint8Array, s: number, e: number): boolean {
  let p = s;
  while (p < e && (b[p] === CR || b[p] === LF)) p++;
  const tokenStart = p;
  while (p < e && p - tokenStart <= 24 && isToken(b[p] as number)) p++;
  return p - tokenStart <= 24 && (p === e || b[p] === SP);
}

/**
 * How many line feeds were recorded for the head starting at `b[s]` by the last {@link headEnd}
 * (0 when none were), consuming the record; read them with {@link lineFeedAt}.
 */
export function takeRecordedLines(b: Uint8Array, s: number): number {
  const lines = lineFeedCount > 0 && recordedBytes === b && recordedHead === s ? lineFeedCount : 0;
  recordedBytes = undefined;
  return lines;
}

/** The offset of the k-th recorded line feed. */
export function lineFeedAt(k: number): number {
  return lineFeeds[k] as number;
}

/** End of a line's content: `e` less one carriage return before it. */
export function contentEnd(b: Uint8Array, s: number, e: number): number {
  return e > s && b[e - 1] === CR ? e - 1 : e;
}

export function blank(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isWhitespace(b[i] as number)) return false;
  return true;
}

/** `b[s..e)` as text without the whitespace `String.prototype.trim` removes. */
export function trimmedText(b: Uint8Array, s: number, e: number): string {
  while (s < e && isWhitespace(b[s] as number)) s++;
  while (e > s && isWhitespace(b[e - 1] as number)) e--;
  return latin1Text(b, s, e);
}

/** A header name trimmed and lower-cased. */
export function headerName(b: Uint8Array, s: number, e: number): string {
  while (s < e && isWhitespace(b[s] as number)) s++;
  while (e > s && isWhitespace(b[e - 1] as number)) e--;
  return lowerLatin1Text(b, s, e);
}
