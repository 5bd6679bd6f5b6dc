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
  const stack: Frame[] = [];
  let key: string | null = null;
  const join = (parent: Frame, k: string) => (parent.path === '' ? k : `${parent.path}.${k}`);
  /** The path of a value starting at `offset` inside `parent` (recording array items). */
  const valuePath = (parent: Frame, offset: number): string => {
    if (parent.depth >= maxDepth) return '';
    if (!parent.array) return join(parent, key ?? '');
    // As `fieldPositions` keys them: a member is `path.key` (or `key` under an empty path), an item always `path.i`.
    const p = `${parent.path}.${parent.index}`;
    field(p, offset);
    return p;
  };
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 34) {
      const end = stringEnd(text, i);
      if (top && !top.array && key === null && nextNonSpace(text, end) === 58) {
        if (top.depth < maxDepth) {
          const raw = text.slice(i + 1, end - 1);
          key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
          field(join(top, key), i);
        } else {
          key = '';
        }
      } else if (top) {
        valuePath(top, i);
        afterValue(top);
      }
      i = end;
    } else if (c === 123 || c === 91) {
      const path = top ? valuePath(top, i) : '';
      stack.push({ path, array: c === 91, start: i, depth: top ? top.depth + 1 : 0, index: 0 });
      key = null;
      i++;
    } else if (c === 125 || c === 93) {
      const done = stack.pop();
      if (done && closed && done.depth <= maxDepth) closed(done.path, done.start, i + 1);
      const parent = stack[stack.length - 1];
      if (parent) afterValue(parent);
      i++;
    } else if (c === 44 || c === 58 || c <= 32) {
      i++;
    } else {
      if (top) {
        valuePath(top, i);
        afterValue(top);
      }
      while (i < to && !isDelimiter(text.charCodeAt(i))) i++;
    }
  }

  /** A value of `parent` is complete: the next array item, or the next member key. */
  function afterValue(parent: Frame): void {
    if (parent.array) parent.index++;
    else key = null;
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
