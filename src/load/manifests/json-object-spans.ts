/** Where an object or array of a JSON text is: its span, and the line and column (1-based) of its first character. */
export interface JsonSpan {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
}

export interface PlacedObjects {
  /** Spans of the objects and arrays down to the items of a List, keyed by dotted path ('' is the root, `items.3`, `.0`). */
  readonly spans: Map<string, JsonSpan>;
  /** The deepest nesting of objects and arrays in the text (0 for a scalar). */
  readonly depth: number;
}

/** Objects are the root value, its items, or the items of its `items` (a List): two levels are enough. */
const PLACED_DEPTH = 2;

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const BACKSLASH = 92;

/** An open object or array that is placed: where it starts, and what its next child is called. */
interface Level {
  readonly path: string;
  readonly array: boolean;
  readonly start: number;
  readonly line: number;
  readonly col: number;
  /** Arrays: the commas counted so far at this level, which is the index of the next item. */
  commas: number;
  /** Arrays: the offset up to which commas are counted (the end of the last item seen). */
  counted: number;
  /** Objects: the member key whose value comes next. */
  key: string;
}

/**
 * Places the objects of a JSON text in one pass that visits only its structural characters (quotes and
 * brackets, found with `indexOf`), never building a value: the span and line of every object or array
 * down to {@link PLACED_DEPTH}, and how deep the text nests. Assumes the text is valid JSON (JSON.parse
 * accepted it), so strings hold no raw line feed and every bracket outside a string is structural.
 */
export function placeJsonObjects(text: string): PlacedObjects {
  const spans = new Map<string, JsonSpan>();
  const levels: Level[] = [];
  const marks = new StructuralMarks(text);
  const lines = new LineCursor(text);
  let depth = 0;
  let deepest = 0;
  for (let i = marks.next(); i < text.length; i = marks.next()) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (depth > 0 && depth <= PLACED_DEPTH) placedString(text, levels[depth - 1] as Level, i, end);
      marks.passString(end);
    } else if (c === 123 || c === 91) {
      if (depth <= PLACED_DEPTH) {
        const at = lines.at(i);
        levels.push({ path: childPath(text, levels[depth - 1], i), array: c === 91, start: i, line: at.line, col: at.col, commas: 0, counted: i + 1, key: '' });
      }
      if (++depth > deepest) deepest = depth;
      marks.passBracket(c, i);
    } else {
      if (--depth <= PLACED_DEPTH) {
        const done = levels.pop() as Level;
        spans.set(done.path, { start: done.start, end: i + 1, line: done.line, col: done.col });
        const parent = levels[depth - 1];
        if (parent) parent.counted = i + 1;
      }
      marks.passBracket(c, i);
    }
  }
  return { spans, depth: deepest };
}

/** A string directly in a placed level: an item of an array (counted), or a member key of an object (kept). */
function placedString(text: string, level: Level, start: number, end: number): void {
  if (level.array) {
    level.commas += commasBetween(text, level.counted, start);
    level.counted = end;
  } else if (nextNonSpace(text, end) === COLON) {
    const raw = text.slice(start + 1, end - 1);
    level.key = raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
  }
}

/** The path of an object or array opening at `offset` in `parent` (none: the root), as `fieldPositions` keys YAML. */
function childPath(text: string, parent: Level | undefined, offset: number): string {
  if (!parent) return '';
  if (!parent.array) return parent.path ? `${parent.path}.${parent.key}` : parent.key;
  parent.commas += commasBetween(text, parent.counted, offset);
  parent.counted = offset;
  return `${parent.path}.${parent.commas}`;
}

/** Commas in `text[from, to)`, a stretch between the items of an array that holds no string. */
function commasBetween(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === COMMA) n++;
  return n;
}

/** The offset after the string opening at `start`: its closing quote is the first one not escaped. */
export function stringEnd(text: string, start: number): number {
  for (let q = text.indexOf('"', start + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let b = q - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - b) % 2 === 1) return q + 1;
  }
  return text.length;
}

export function nextNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  return text.charCodeAt(i);
}

/** The next quote or bracket of a text at or after a point, each kind found with its own `indexOf`. */
class StructuralMarks {
  private quote: number;
  private openObject: number;
  private openArray: number;
  private closeObject: number;
  private closeArray: number;

  constructor(private readonly text: string) {
    this.quote = this.find('"', 0);
    this.openObject = this.find('{', 0);
    this.openArray = this.find('[', 0);
    this.closeObject = this.find('}', 0);
    this.closeArray = this.find(']', 0);
  }

  /** The offset of the next mark; the text's length when there is none. */
  next(): number {
    let at = this.quote;
    if (this.openObject < at) at = this.openObject;
    if (this.openArray < at) at = this.openArray;
    if (this.closeObject < at) at = this.closeObject;
    if (this.closeArray < at) at = this.closeArray;
    return at;
  }

  /** The bracket `c` at `offset` is read. */
  passBracket(c: number, offset: number): void {
    if (c === 123) this.openObject = this.find('{', offset + 1);
    else if (c === 91) this.openArray = this.find('[', offset + 1);
    else if (c === 125) this.closeObject = this.find('}', offset + 1);
    else this.closeArray = this.find(']', offset + 1);
  }

  /** A string ending before `end` is read: the marks inside it are passed over. */
  passString(end: number): void {
    this.quote = this.find('"', end);
    if (this.openObject < end) this.openObject = this.find('{', end);
    if (this.openArray < end) this.openArray = this.find('[', end);
    if (this.closeObject < end) this.closeObject = this.find('}', end);
    if (this.closeArray < end) this.closeArray = this.find(']', end);
  }

  private find(mark: string, from: number): number {
    const at = this.text.indexOf(mark, from);
    return at === -1 ? this.text.length : at;
  }
}

/** Line and column of offsets asked for in increasing order, counting line feeds as it goes. */
class LineCursor {
  private line = 1;
  private lineStart = 0;
  private nextFeed: number;

  constructor(private readonly text: string) {
    this.nextFeed = text.indexOf('\n');
  }

  at(offset: number): { line: number; col: number } {
    while (this.nextFeed !== -1 && this.nextFeed < offset) {
      this.line++;
      this.lineStart = this.nextFeed + 1;
      this.nextFeed = this.text.indexOf('\n', this.lineStart);
    }
    return { line: this.line, col: offset - this.lineStart + 1 };
  }
}
