import { isMap, isNode, isSeq, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { withoutByteOrderMark } from '../byte-order-mark.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { FieldPositions, SourceRef } from '../../model/source.js';
import { jsonDuplicateKeys, yamlDuplicateKeys, type DuplicateKey } from './duplicate-keys.js';
import { fieldPositions } from './field-positions.js';
import { blockYamlPositions } from './block-yaml-positions.js';
import { JsonPositions } from './json-positions.js';
import { fastYamlValues, scanDocuments, type DocumentSpan } from './yaml-documents.js';
import { excerpt, parserMessage } from '../excerpt.js';

/** One Kubernetes object found in a file, with the positions of its fields (computed on demand). */
export interface RawObject {
  readonly value: Record<string, unknown>;
  readonly source: SourceRef;
  /** The object's 0-based index among the items of its list (`kind: List`, a JSON array), when it is one. */
  readonly item?: number;
  positions(): FieldPositions;
}

export interface ParsedFile {
  readonly objects: RawObject[];
  readonly documents: number;
  readonly diagnostics: Diagnostic[];
}

/** Cap on alias expansion, so that an alias bomb is an error, not an out-of-memory crash. */
const MAX_ALIAS_COUNT = 1000;
/** Nesting deeper than this is refused (a 100,000-deep `[[[...` would exhaust the stack). */
const MAX_DEPTH = 200;

/**
 * YAML larger than this is refused: the YAML reader parses about 1 MB/s, so a bigger file would stall
 * for minutes. JSON (what `kubectl get -o json` prints) is read without this limit.
 */
export const MAX_YAML_BYTES = 16 * 1024 * 1024;

/**
 * Splits a multi-document YAML or JSON text into Kubernetes objects, flattening `kind: List` (and
 * `*List`) items. Syntax errors become diagnostics with line and column; documents that parse still load.
 */
export function parseDocuments(input: string, file: string, firstLine = 1): ParsedFile {
  // A leading byte order mark is no content: YAML 1.2 §5.2 allows one, and a JSON reader may ignore it
  // (RFC 8259 §8.1). Left in, it moved line 1's columns and sent JSON to the YAML reader and its limit.
  const text = withoutByteOrderMark(input);
  const diagnostics: Diagnostic[] = [];
  const objects: RawObject[] = [];
  const counter = new LineCounter();
  // Positions as the file has them: an excerpt starting at line `firstLine` is shifted by that much.
  const shift = firstLine - 1;
  const lines = shift > 0 ? shiftedLines(counter, shift) : counter;
  // JSON is parsed first (JSON.parse does not recurse); its one scan for positions also measures its depth.
  // An excerpt is read as YAML (JSON is YAML), whose positions take the shift.
  const json = shift > 0 ? null : parseJson(text, file, diagnostics);
  if (json) return json;
  const depth = maxBracketDepth(text);
  if (depth > MAX_DEPTH) return tooDeep(file, depth, diagnostics, firstLine);
  if (text.length > MAX_YAML_BYTES) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    diagnostics.push({ severity: 'error', code: 'input-too-large', file, line: firstLine, message: `${file}: ${mb(text.length)} of YAML is over the ${mb(MAX_YAML_BYTES)} the YAML reader takes per file; the file is not loaded. Split it (for example per namespace), or export it as JSON (kubectl get -o json), which has no such limit` });
    return { objects, documents: 0, diagnostics };
  }
  const fast = parseYamlFast(text, file, diagnostics, shift);
  if (fast) return fast;
  // logLevel 'error': the reader's warnings (a mapping key that is a list) would go to the process's
  // stderr, outside the diagnostics, quoting the file.
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, index) => {
    // The first error of a document is the one to fix; the others usually follow from it.
    const first = doc.errors[0];
    if (first) {
      const pos = lines.linePos(first.pos[0]);
      const more = doc.errors.length > 1 ? ` (${doc.errors.length - 1} more error${doc.errors.length > 2 ? 's' : ''} follow from it)` : '';
      diagnostics.push(isStackExhaustion(first.message)
        ? { severity: 'error', code: 'yaml-too-deep', file, line: pos.line, column: pos.col, message: `${file}:${pos.line}:${pos.col}: document ${index + 1} nests too deeply for the YAML reader to follow (it gave up here); the document is skipped` }
        : { severity: 'error', code: 'yaml-syntax', file, line: pos.line, column: pos.col, message: `${file}:${pos.line}:${pos.col}: YAML syntax error: ${parserMessage(first.message)}; document ${index + 1} is skipped${more}` });
    }
    if (doc.errors.length > 0 || doc.contents === null) return;
    const repeated = yamlDuplicateKeys(doc.contents, lines);
    if (repeated.length > 0) {
      for (const d of repeated) diagnostics.push(duplicateYamlKey(file, index, d));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const pos = lines.linePos(doc.contents.range?.[0] ?? 0);
      diagnostics.push({ severity: 'error', code: 'yaml-aliases', file, line: pos.line, message: `${file}:${pos.line}: document ${index + 1} expands too many YAML aliases (${parserMessage((e as Error).message)}); skipped` });
      return;
    }
    collect(value, yamlLocator(doc.contents, lines), index, file, objects, diagnostics);
  });
  return { objects, documents: list.length, diagnostics };
}

/** A key set twice in one mapping: the document is refused, with kubectl's words (sigs.k8s.io/yaml, yaml.v2 `setMapIndex`). */
function duplicateYamlKey(file: string, document: number, d: DuplicateKey): Diagnostic {
  return {
    severity: 'error', code: 'duplicate-key', file, line: d.line, column: d.col,
    message: `${file}:${d.line}:${d.col}: error converting YAML to JSON: yaml: unmarshal errors: line ${d.line}: key ${d.key} already set in map (first set at line ${d.firstLine}); document ${document + 1} is rejected, as kubectl and the API server reject it. Keep one ${d.key}`,
  };
}

/**
 * The YAML reader recurses once per level of block-style nesting and reports the exhausted stack as
 * an error of the document; that is depth, not syntax (flow-style depth is measured before reading).
 */
function isStackExhaustion(message: string): boolean {
  return message.includes('Maximum call stack size exceeded');
}

/** Finds a value's position and its fields' positions, and the locators of its list items and `items`. */
interface Locator {
  line(): { line: number; col: number };
  positions(): FieldPositions;
  item(i: number): Locator;
  items(): Locator;
}

function yamlLocator(node: unknown, lines: LineCounter): Locator {
  return {
    line: () => lines.linePos(isNode(node) ? node.range?.[0] ?? 0 : 0),
    positions: () => fieldPositions(isNode(node) ? node : null, lines),
    item: (i) => yamlLocator(isSeq(node) ? node.items[i] : null, lines),
    items: () => yamlLocator(isMap(node) ? node.get('items', true) : null, lines),
  };
}

/** A LineCounter for a document cut out of a larger text: lines shifted by where the document starts. */
function shiftedLines(lines: LineCounter, shift: number): LineCounter {
  return { linePos: (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line + shift, col: p.col };
  } } as unknown as LineCounter;
}

/** Positions of a fast-read document, found by reading just that document with the positional reader when asked. */
function lazyYamlLocator(text: string, span: DocumentSpan): Locator {
  let real: Locator | undefined;
  const located = (): Locator => {
    if (!real) {
      const lines = new LineCounter();
      const doc = parseDocument(text.slice(span.start, span.end), { lineCounter: lines, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
      real = yamlLocator(doc.contents, shiftedLines(lines, span.startLine - 1));
    }
    return real;
  };
  // Block-style documents (what kubectl writes) get their positions from the indentation alone.
  const positions = (): FieldPositions => blockYamlPositions(text.slice(span.start, span.end), span.startLine) ?? located().positions();
  return { line: () => span.content, positions, item: (i) => located().item(i), items: () => located().items() };
}

/**
 * Multi-document YAML read with js-yaml, positions computed per document only when a diagnostic or
 * report needs them. Returns null (read it the exact way) when the text has anchors, directives, or
 * anything the fast reader and the document scan do not agree on.
 */
function parseYamlFast(text: string, file: string, diagnostics: Diagnostic[], shift: number): ParsedFile | null {
  const values = fastYamlValues(text);
  if (!values) return null;
  const scanned = scanDocuments(text);
  if (!scanned || scanned.length !== values.length) return null;
  const spans = shift === 0 ? scanned : scanned.map((s) => ({ ...s, startLine: s.startLine + shift, content: { line: s.content.line + shift, col: s.content.col } }));
  const objects: RawObject[] = [];
  const found: Diagnostic[] = [];
  values.forEach((value, i) => collect(value, lazyYamlLocator(text, spans[i] as DocumentSpan), i, file, objects, found));
  for (const d of found) diagnostics.push(d);
  return { objects, documents: values.length, diagnostics };
}

function jsonLocator(index: JsonPositions, path: string): Locator {
  const child = (key: string) => (path === '' ? key : `${path}.${key}`);
  return {
    line: () => index.lineOf(path),
    positions: () => index.positionsBelow(path),
    item: (i) => jsonLocator(index, `${path}.${i}`),
    items: () => jsonLocator(index, child('items')),
  };
}

/**
 * JSON (what `kubectl get -o json` prints) parses far faster with JSON.parse than as YAML; positions come
 * from one scan of the text. Returns null when the text is not JSON, to be read as YAML instead.
 */
function parseJson(text: string, file: string, diagnostics: Diagnostic[]): ParsedFile | null {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const positions = new JsonPositions(text);
  if (positions.depth > MAX_DEPTH) return tooDeep(file, positions.depth, diagnostics);
  const repeated = jsonDuplicateKeys(text, value);
  if (repeated.length > 0) {
    for (const { key, offset } of repeated) {
      const at = positions.linePos(offset);
      diagnostics.push({ severity: 'error', code: 'duplicate-key', file, line: at.line, column: at.col, message: `${file}:${at.line}:${at.col}: json: duplicate field ${excerpt(key)}; the document is rejected, as the API server's strict decoding rejects it. Keep one ${excerpt(key)}` });
    }
    return { objects: [], documents: 1, diagnostics };
  }
  const objects: RawObject[] = [];
  collect(value, jsonLocator(positions, ''), 0, file, objects, diagnostics);
  return { objects, documents: 1, diagnostics };
}

/** The file nests deeper than the converters walk: an error, and nothing of it is loaded. */
function tooDeep(file: string, depth: number, diagnostics: Diagnostic[], line = 1): ParsedFile {
  diagnostics.push({ severity: 'error', code: 'yaml-too-deep', file, line, message: `${file}: nesting deeper than ${MAX_DEPTH} levels (${depth}); the file is not loaded` });
  return { objects: [], documents: 0, diagnostics };
}

/** Collects the objects of a document: the value itself, the items of a top-level list, or a List's items. */
function collect(value: unknown, at: Locator, document: number, file: string, out: RawObject[], diagnostics: Diagnostic[], item?: number): void {
  const line = at.line();
  const inList = item !== undefined;
  const notAnObject = (what: string): void => {
    diagnostics.push({ severity: 'warning', code: 'not-an-object', file, line: line.line, message: `${file}:${line.line}: ${inList ? 'an item of document' : 'document'} ${document + 1} is not a Kubernetes object (${what}); skipped` });
  };
  if (Array.isArray(value)) {
    // A JSON file may hold an array of objects; a list inside that list is no object.
    if (inList) return notAnObject('a list');
    value.forEach((entry, i) => collect(entry, at.item(i), document, file, out, diagnostics, i));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    // An empty document is nothing; an empty item of a list is a mistake.
    if ((value !== null && value !== undefined) || inList) notAnObject(value === null || value === undefined ? 'empty' : `a ${typeof value}`);
    return;
  }
  const obj = value as Record<string, unknown>;
  const kind = obj['kind'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(obj['items'])) {
    const items = at.items();
    (obj['items'] as unknown[]).forEach((entry, i) => collect(entry, items.item(i), document, file, out, diagnostics, i));
    return;
  }
  out.push({ value: obj, source: { file, document, line: line.line, column: line.col }, ...(inList ? { item } : {}), positions: () => at.positions() });
}

/** The deepest `[`/`{` nesting outside strings: a cheap guard before parsing. */
function maxBracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 && quote === '"') i++;
      else if (text[i] === quote) quote = '';
      continue;
    }
    if (c === 34 || c === 39) quote = text[i] as string;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (c === 35) while (i < text.length && text.charCodeAt(i) !== 10) i++;
  }
  return max;
}
