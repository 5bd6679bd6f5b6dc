import type { FieldPositions } from '../../model/source.js';

/** Objects are the root value, its items, or the items of its `items` (a List): two levels are enough. */
const SHALLOW_DEPTH = 2;

interface Frame {
  readonly path: string;
  readonly array: boolean;
  readonly start: number;
  readonly line: number;
  readonly col: number;
  readonly depth: number;
  index: number;
}

/** Where an object or array of the text is: its span, and the line and column (1-based) of its first character. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

/**
 * Positions in a JSON text, without building values: where each object of a file starts and ends, on
 * which line, and how deep the text nests (one cheap pass that skips what lies below the objects),
 * and, on demand for one object, where each of its fields starts: the key for an object member, the
 * item for an array element, keyed by dotted path (`spec.rules.0`) as `fieldPositions` keys YAML.
 * Assumes the text is valid JSON (JSON.parse accepted it), so line feeds occur only between tokens.
 */
export class JsonPositions {
  /** The deepest nesting of objects and arrays in the text (0 for a scalar). */
  readonly depth: number;
  private lineStarts: number[] | undefined;
  private readonly spans = new Map<string, Span>();

  constructor(private readonly text: string) {
    const scanner = new FieldScanner(text, SHALLOW_DEPTH, () => undefined, (path, span) => this.spans.set(path, span), { line: 1, start: 0 });
    scanner.run(0, text.length);
    this.depth = scanner.deepest;
  }

  /** 1-based line and column of an offset (the line index is built on first use). */
  linePos(offset: number): { line: number; col: number } {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (starts[lo] as number) + 1 };
  }

  /** Offset where the object or array at `path` ('' is the root, `items.3` a List item) starts; 0 when there is none. */
  offsetOf(path: string): number {
    return this.spans.get(path)?.start ?? 0;
  }

  /** Line and column where the object or array at `path` starts; those of offset 0 when there is none. */
  lineOf(path: string): { line: number; col: number } {
    const span = this.spans.get(path);
    return span ? { line: span.line, col: span.col } : { line: 1, col: 1 };
  }

  /** Positions of the fields of the object at `path`, relative to it. */
  positionsBelow(path: string): FieldPositions {
    const span = this.spans.get(path);
    const out: Record<string, readonly [number, number]> = {};
    if (!span) return out;
    const scanner = new FieldScanner(this.text, Infinity, (p, line, col) => {
      out[p] = [line, col];
    }, undefined, { line: span.line, start: span.start - span.col + 1 });
    scanner.run(span.start, span.end);
    return out;
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Walks `text[from, to)` iteratively (nesting cannot exhaust the stack), calling `field` with the path,
 * line and column of every member key and array item down to `maxDepth`, and `closed` with the span of
 * every object or array down to it. What lies deeper is skipped bracket by bracket, without paths;
 * lines are counted as the walk passes their line feeds.
 */
class FieldScanner {
  /** The deepest nesting seen so far. */
  deepest = 0;
  private readonly stack: Frame[] = [];
  /** The member key whose value comes next, or null when a key comes next. */
  private key: string | null = null;
  /** The current line (1-based) and the offset it starts at. */
  private line: number;
  private lineStart: number;

  constructor(
    private readonly text: string, private readonly maxDepth: number,
    private readonly field: (path: string, line: number, col: number) => void,
    private readonly closed: ((path: string, span: Span) => void) | undefined,
    at: { readonly line: number; readonly start: number },
  ) {
    this.line = at.line;
    this.lineStart = at.start;
  }

  run(from: number, to: number): void {
    const t = this.text;
    let i = from;
    while (i < to) {
      const c = t.charCodeAt(i);
      if (c === 34) i = this.string(i);
      else if (c === 123 || c === 91) i = this.open(i, c === 91, to);
      else if (c === 125 || c === 93) i = this.close(i);
      else if (c === 10) this.newLine(++i);
      else if (c === 44 || c === 58 || c <= 32) i++;
      else i = this.scalar(i, to);
    }
  }

  private newLine(start: number): void {
    this.line++;
    this.lineStart = start;
  }

  private get top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** A string is a member key when a ":" follows it inside an object; otherwise a value. */
  private string(i: number): number {
    const end = stringEnd(this.text, i);
    const top = this.top;
    if (top && !top.array && this.key === null && nextNonSpace(this.text, end) === 58) {
      if (top.depth < this.maxDepth) {
        const raw = this.text.slice(i + 1, end - 1);
        this.key = raw.includes('\\') ? (JSON.parse(this.text.slice(i, end)) as string) : raw;
        this.field(top.path ? `${top.path}.${this.key}` : this.key, this.line, i - this.lineStart + 1);
      } else {
        this.key = '';
      }
    } else if (top) {
      this.value(top, i);
      this.afterValue(top);
    }
    return end;
  }

  /** An object or array: a frame of its own down to `maxDepth`, skipped whole below it. */
  private open(i: number, array: boolean, to: number): number {
    const top = this.top;
    const depth = top ? top.depth + 1 : 0;
    if (depth > this.maxDepth) {
      const end = this.skip(i, to, depth);
      if (top) this.afterValue(top);
      return end;
    }
    const path = top ? this.value(top, i) : '';
    this.deepest = Math.max(this.deepest, depth + 1);
    this.stack.push({ path, array, start: i, line: this.line, col: i - this.lineStart + 1, depth, index: 0 });
    this.key = null;
    return i + 1;
  }

  /** Skips the object or array opening at `i` (at nesting `depth`), keeping count of lines and depth; returns the offset after it. */
  private skip(from: number, to: number, depth: number): number {
    const t = this.text;
    let open = 0;
    let deepest = this.deepest;
    for (let i = from; i < to; i++) {
      const c = t.charCodeAt(i);
      if (c === 34) i = stringEnd(t, i) - 1;
      else if (c === 10) this.newLine(i + 1);
      else if (c === 123 || c === 91) {
        open++;
        if (depth + open > deepest) deepest = depth + open;
      } else if ((c === 125 || c === 93) && --open === 0) {
        this.deepest = deepest;
        return i + 1;
      }
    }
    this.deepest = deepest;
    return to;
  }

  private close(i: number): number {
    const done = this.stack.pop();
    if (done && this.closed) this.closed(done.path, { start: done.start, end: i + 1, line: done.line, col: done.col });
    const parent = this.top;
    if (parent) this.afterValue(parent);
    return i + 1;
  }

  private scalar(i: number, to: number): number {
    const top = this.top;
    if (top) {
      this.value(top, i);
      this.afterValue(top);
    }
    let j = i;
    while (j < to && !isDelimiter(this.text.charCodeAt(j))) j++;
    return j;
  }

  /** The path of a value starting at `offset` in `parent`, recording array items, as `fieldPositions` keys them. */
  private value(parent: Frame, offset: number): string {
    if (parent.depth >= this.maxDepth) return '';
    if (!parent.array) return parent.path ? `${parent.path}.${this.key ?? ''}` : this.key ?? '';
    const p = `${parent.path}.${parent.index}`;
    this.field(p, this.line, offset - this.lineStart + 1);
    return p;
  }

  /** A value of `parent` is complete: the next array item, or the next member key. */
  private afterValue(parent: Frame): void {
    if (parent.array) parent.index++;
    else this.key = null;
  }
}

function stringEnd(t: string, start: number): number {
  let i = start + 1;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return t.length;
}

function nextNonSpace(t: string, from: number): number {
  let i = from;
  while (i < t.length && t.charCodeAt(i) <= 32) i++;
  return t.charCodeAt(i);
}

function isDelimiter(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c <= 32;
}
