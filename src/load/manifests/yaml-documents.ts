import { CORE_SCHEMA, loadAll } from 'js-yaml';

/** Where one document of a multi-document YAML text is: its text, and the line and column of its content. */
export interface DocumentSpan {
  /** 0-based offset of the document's first line in the text, and its 1-based line. */
  readonly start: number;
  readonly startLine: number;
  readonly end: number;
  /** Line and column (1-based) of the document's first content. */
  readonly content: { readonly line: number; readonly col: number };
}

const MARKER = /^---(?=\s|$)/;
const END = /^\.\.\.(?=\s|$)/;
/** An anchor or alias (`&a`, `*a`) where a node may start: such texts take the reader with an alias cap. */
const ANCHOR_OR_ALIAS = /(^|[\s:[{,-])[&*][^\s\]},]/m;

/**
 * Finds the documents of a YAML stream by its `---` and `...` markers, the way js-yaml and the YAML 1.2
 * spec split them. Returns null for anything it does not follow (content on a marker line, directives),
 * so that the caller reads the text the slow, exact way.
 */
export function scanDocuments(text: string): DocumentSpan[] | null {
  const spans: Array<{ start: number; startLine: number; content?: { line: number; col: number } }> = [];
  let open: (typeof spans)[number] | undefined;
  let offset = 0;
  let line = 0;
  while (offset <= text.length) {
    const next = text.indexOf('\n', offset);
    const end = next < 0 ? text.length : next;
    const row = text.slice(offset, end);
    line++;
    if (MARKER.test(row)) {
      if (row.slice(3).trim() !== '' && !row.slice(3).trim().startsWith('#')) return null;
      open = { start: offset, startLine: line };
      spans.push(open);
    } else if (END.test(row)) {
      open = undefined;
    } else if (row.startsWith('%')) {
      return null;
    } else {
      const col = row.search(/\S/);
      if (col >= 0 && row[col] !== '#') {
        if (!open) {
          open = { start: offset, startLine: line };
          spans.push(open);
        }
        open.content ??= { line, col: col + 1 };
      }
    }
    if (next < 0) break;
    offset = next + 1;
  }
  return spans.map((s, i) => ({ start: s.start, startLine: s.startLine, end: spans[i + 1]?.start ?? text.length, content: s.content ?? { line: s.startLine, col: 1 } }));
}

/**
 * The values of a multi-document YAML text read with js-yaml (core schema, about ten times faster than
 * the positional reader), or null when the text has anchors or aliases, or does not parse: the caller
 * then reads it with the positional reader, which caps alias expansion and reports errors with lines.
 */
export function fastYamlValues(text: string): unknown[] | null {
  if (ANCHOR_OR_ALIAS.test(text)) return null;
  try {
    return loadAll(text, { schema: CORE_SCHEMA }) as unknown[];
  } catch {
    return null;
  }
}
