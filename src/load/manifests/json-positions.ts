import type { FieldPositions } from '../../model/source.js';
import { nextNonSpace, placeJsonObjects, stringEnd, type JsonSpan } from './json-object-spans.js';

interface Frame {
  readonly path: string;
  readonly array: boolean;
  index: number;
}

/**
 * Positions in a JSON text, without building values: where each object of a file starts and ends, on
 * which line, and how deep the text nests (one cheap pass over its quotes and brackets), and, on demand
 * for one object, where each of its fields starts: the key for an object member, the item for an array
 * element, keyed by dotted path (`spec.rules.0`) as `fieldPositions` keys YAML.
 * Assumes the text is valid JSON (JSON.parse accepted it), so line feeds occur only between tokens.
 */
export class JsonPositions {
  /** The deepest nesting of objects and arrays in the text (0 for a scalar). */
  readonly depth: number;
  private lineStarts: number[] | undefined;
  private readonly spans: Map<string, JsonSpan>;

  constructor(private readonly text: string) {
    const placed = placeJsonObjects(text);
    this.spans = placed.spans;
    this.depth = placed.depth;
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
    // No prototype: a field named `__proto__` must be an own key like any other.
    const out: Record<string, readonly [number, number]> = Object.create(null) as Record<string, readonly [number, number]>;
    if (!span) return out;
    const scanner = new FieldScanner(this.text, (p, line, col) => {
      out[p] = [line, col];
    }, { line: span.line, start: span.start - span.col + 1 });
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
 * line and column of every member key and array item; lines are counted as the walk passes their line feeds.
 */
class FieldScanner {
  private readonly stack: Frame[] = [];
  /** The member key whose value comes next, or null when a key comes next. */
  private key: string | null = null;
  /** The current line (1-based) and the offset it starts at. */
  private line: number;
  private lineStart: number;

  constructor(
    private readonly text: string,
    private readonly field: (path: string, line: number, col: number) => void,
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
      else if (c === 123 || c === 91) i = this.open(i, c === 91);
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
      const raw = this.text.slice(i + 1, end - 1);
      this.key = raw.includes('\\') ? (JSON.parse(this.text.slice(i, end)) as string) : raw;
      this.field(top.path ? `${top.path}.${this.key}` : this.key, this.line, i - this.lineStart + 1);
    } else if (top) {
      this.value(top, i);
      this.afterValue(top);
    }
    return end;
  }

  private open(i: number, array: boolean): number {
    const top = this.top;
    const path = top ? this.value(top, i) : '';
    this.stack.push({ path, array, index: 0 });
    this.key = null;
    return i + 1;
  }

  private close(i: number): number {
    this.stack.pop();
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

function isDelimiter(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c <= 32;
}
