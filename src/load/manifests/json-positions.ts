import type { FieldPositions } from '../../model/source.js';

/** Objects are the root value, its items, or the items of its `items` (a List): two levels are enough. */
const SHALLOW_DEPTH = 2;

interface Frame {
  readonly path: string;
  readonly array: boolean;
  readonly start: number;
  readonly depth: number;
  index: number;
}

/**
 * Positions in a JSON text, without building values: where each object of a file starts and ends
 * (one cheap pass), and, on demand for one object, where each of its fields starts: the key for an
 * object member, the item for an array element, keyed by dotted path (`spec.rules.0`) as
 * `fieldPositions` keys YAML. Assumes the text is valid JSON (JSON.parse accepted it).
 */
export class JsonPositions {
  private readonly lineStarts: number[] = [0];
  private readonly spans = new Map<string, { start: number; end: number }>();

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    scanFields(text, 0, text.length, SHALLOW_DEPTH, () => undefined, (path, start, end) => this.spans.set(path, { start, end }));
  }

  /** 1-based line and column of an offset. */
  linePos(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - (this.lineStarts[lo] as number) + 1 };
  }

  /** Offset where the object or array at `path` ('' is the root, `items.3` a List item) starts. */
  offsetOf(path: string): number {
    return this.spans.get(path)?.start ?? 0;
  }

  /** Positions of the fields of the object at `path`, relative to it. */
  positionsBelow(path: string): FieldPositions {
    const span = this.spans.get(path);
    const out: Record<string, readonly [number, number]> = {};
    if (!span) return out;
    scanFields(this.text, span.start, span.end, Infinity, (p, offset) => {
      const pos = this.linePos(offset);
      out[p] = [pos.line, pos.col];
    });
    return out;
  }
}

/**
 * Walks `text[from, to)` iteratively (nesting cannot exhaust the stack), calling `field` with the path
 * and offset of every member key and array item down to `maxDepth`, and `closed` with the span of every
 * object or array down to it. Paths deeper than `maxDepth` are never built.
 */
function scanFields(
  text: string, from: number, to: number, maxDepth: number,
  field: (path: string, offset: number) => void, closed?: (path: string, start: number, end: number) => void,
): void {
  new FieldScanner(text, maxDepth, field, closed).run(from, to);
}

class FieldScanner {
  private readonly stack: Frame[] = [];
  /** The member key whose value comes next, or null when a key comes next. */
  private key: string | null = null;

  constructor(
    private readonly text: string, private readonly maxDepth: number,
    private readonly field: (path: string, offset: number) => void,
    private readonly closed?: (path: string, start: number, end: number) => void,
  ) {}

  run(from: number, to: number): void {
    const t = this.text;
    let i = from;
    while (i < to) {
      const c = t.charCodeAt(i);
      if (c === 34) i = this.string(i);
      else if (c === 123 || c === 91) i = this.open(i, c === 91);
      else if (c === 125 || c === 93) i = this.close(i);
      else if (c === 44 || c === 58 || c <= 32) i++;
      else i = this.scalar(i, to);
    }
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
        this.field(top.path ? `${top.path}.${this.key}` : this.key, i);
      } else {
        this.key = '';
      }
    } else if (top) {
      this.value(top, i);
      this.afterValue(top);
    }
    return end;
  }

  private open(i: number, array: boolean): number {
    const top = this.top;
    const path = top ? this.value(top, i) : '';
    this.stack.push({ path, array, start: i, depth: top ? top.depth + 1 : 0, index: 0 });
    this.key = null;
    return i + 1;
  }

  private close(i: number): number {
    const done = this.stack.pop();
    if (done && this.closed && done.depth <= this.maxDepth) this.closed(done.path, done.start, i + 1);
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
    this.field(p, offset);
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
