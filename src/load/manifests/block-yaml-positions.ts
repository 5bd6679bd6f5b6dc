import type { FieldPositions } from '../../model/source.js';

interface Frame {
  readonly kind: 'map' | 'seq';
  /** Column (0-based) where the frame's keys, or its items' dashes, start. */
  readonly indent: number;
  readonly path: string;
  next: number;
}

const KEY = /^([A-Za-z0-9_][^:#'"{}[\],&*!|>]*?|"[^"\\]*"|'[^']*'):(?:\s+|$)/;

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

/**
 * Line and column of every field of a block-style YAML document (what kubectl and most tools write),
 * read from the text by indentation alone, keyed like {@link fieldPositions}. Returns null for anything
 * outside that simple form (flow collections, anchors, tags, multi-line scalars, tabs, nested dashes):
 * the caller then asks the positional YAML reader. `firstLine` is the 1-based line of `text`'s start.
 */
export function blockYamlPositions(text: string, firstLine: number): FieldPositions | null {
  // No prototype: a field named `__proto__` must be an own key like any other.
  const out: Record<string, readonly [number, number]> = Object.create(null) as Record<string, readonly [number, number]>;
  const stack: Frame[] = [];
  let pending: { path: string; indent: number } | undefined;
  let scalarIndent = -1;
  let blockScalarIndent = -1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const indent = row.search(/\S/);
    if (indent < 0) continue;
    if (blockScalarIndent >= 0) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    const body = row.slice(indent);
    if (body.startsWith('#') || (i === 0 && /^---(\s|$)/.test(body))) continue;
    if (row.slice(0, indent).includes('\t') || /^(---|\.\.\.)(\s|$)/.test(body) || body.startsWith('%')) return null;
    // A line deeper than a key whose value was on its own line is a multi-line plain scalar.
    if (scalarIndent >= 0 && indent > scalarIndent && !pending) return null;
    const line = firstLine + i;
    while (stack.length > 0 && (stack[stack.length - 1] as Frame).indent > indent) stack.pop();
    let at = indent;
    let rest = body;
    if (rest === '-' || rest.startsWith('- ')) {
      const seq = seqFrame(stack, pending, indent);
      if (!seq) return null;
      pending = undefined;
      const itemPath = join(seq.path, seq.next++);
      const after = rest === '-' ? '' : rest.slice(2);
      const offset = after.search(/\S/);
      if (offset < 0) {
        pending = { path: itemPath, indent };
        scalarIndent = -1;
        continue;
      }
      at = indent + 2 + offset;
      rest = after.slice(offset);
      out[itemPath] = [line, at + 1];
      if (rest.startsWith('- ') || rest === '-') return null;
      if (!KEY.test(rest)) {
        if (!plainScalar(rest)) return null;
        scalarIndent = indent;
        continue;
      }
      stack.push({ kind: 'map', indent: at, path: itemPath, next: 0 });
    }
    const m = KEY.exec(rest);
    if (!m) return null;
    const map = mapFrame(stack, pending, at);
    if (!map) return null;
    pending = undefined;
    const key = unquote(m[1] as string);
    const path = join(map.path, key);
    out[path] = [line, at + 1];
    const value = rest.slice(m[0].length);
    if (value === '' || value.startsWith('#')) {
      pending = { path, indent: at };
      scalarIndent = -1;
    } else if (value.startsWith('|') || value.startsWith('>')) {
      blockScalarIndent = at;
      scalarIndent = -1;
    } else if (value === '[]' || value === '{}' || plainScalar(value)) {
      scalarIndent = at;
    } else return null;
  }
  return out;
}

/** The sequence a dash at `indent` belongs to: an open one, or a new one for the key waiting for its value. */
function seqFrame(stack: Frame[], pending: { path: string; indent: number } | undefined, indent: number): Frame | undefined {
  const top = stack[stack.length - 1];
  if (pending && indent >= pending.indent && !(top && top.kind === 'seq' && top.indent === indent && top.path !== pending.path)) {
    const frame: Frame = { kind: 'seq', indent, path: pending.path, next: 0 };
    if (top && top.kind === 'map' && top.indent === indent) return undefined;
    stack.push(frame);
    return frame;
  }
  return top && top.kind === 'seq' && top.indent === indent ? top : undefined;
}

/** The mapping a key at column `at` belongs to: an open one, or a new one for the key waiting for its value. */
function mapFrame(stack: Frame[], pending: { path: string; indent: number } | undefined, at: number): Frame | undefined {
  const top = stack[stack.length - 1];
  if (pending) {
    if (at <= pending.indent) return undefined;
    const frame: Frame = { kind: 'map', indent: at, path: pending.path, next: 0 };
    stack.push(frame);
    return frame;
  }
  if (!top && at === 0) {
    const root: Frame = { kind: 'map', indent: 0, path: '', next: 0 };
    stack.push(root);
    return root;
  }
  return top && top.kind === 'map' && top.indent === at ? top : undefined;
}

/** A scalar the indentation reading can trust: no flow collection, anchor, alias, tag or open quote. */
function plainScalar(value: string): boolean {
  const c = value[0];
  if (c === '[' || c === '{' || c === '&' || c === '*' || c === '!' || c === '|' || c === '>' || c === '@' || c === '`') return false;
  if (c === '"') return /^"(?:[^"\\]|\\.)*"\s*(#.*)?$/.test(value);
  if (c === "'") return /^'(?:[^']|'')*'\s*(#.*)?$/.test(value);
  // A plain scalar ends at the line's end; one that goes on below is caught by its deeper next line.
  return true;
}

function unquote(key: string): string {
  if (key.startsWith('"') || key.startsWith("'")) return key.slice(1, -1);
  return key.trimEnd();
}
