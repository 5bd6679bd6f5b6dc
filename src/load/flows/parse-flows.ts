import { isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import { withoutByteOrderMark } from '../byte-order-mark.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import { JsonPositions } from '../manifests/json-positions.js';
import { flowFromEntry } from './flow-entry.js';
import { FlowLineReader } from './flow-lines.js';
import { LineSplitter } from './text-lines.js';
import { parserMessage } from '../excerpt.js';

export interface ParsedFlows {
  readonly flows: Flow[];
  readonly diagnostics: Diagnostic[];
}

/**
 * True when a flows file is JSONL: its name ends in `.jsonl`, or its text (or first chunk) starts
 * with `{` (a YAML or JSON flows file is a list, so it never does).
 */
export function isJsonLines(head: string, file: string): boolean {
  return file.endsWith('.jsonl') || head.trimStart().startsWith('{');
}

/**
 * Parses a flows file (DESIGN.md "Flows file"): a YAML or JSON list of flows, or JSONL (one flow per
 * line). Bad entries become error diagnostics with file and line; the other entries still load.
 */
export function parseFlows(input: string, file: string): ParsedFlows {
  // A leading byte order mark is no content (YAML 1.2 §5.2 allows one; editors on Windows write it).
  const text = withoutByteOrderMark(input);
  const trimmed = text.trimStart();
  if (isJsonLines(text, file)) return parseJsonLines(text, file);
  if (trimmed.startsWith('[')) {
    const fromJson = parseJsonList(text, file);
    if (fromJson) return fromJson;
  }
  const counter = new LineCounter();
  // logLevel 'error': the reader's warnings would go to the process's stderr, outside the diagnostics.
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, logLevel: 'error' });
  const diagnostics: Diagnostic[] = [];
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = counter.linePos(e.pos[0]);
      diagnostics.push({ severity: 'error', code: 'yaml-syntax', file, line: pos.line, column: pos.col, message: `${file}:${pos.line}:${pos.col}: ${parserMessage(e.message)}` });
    }
    return { flows: [], diagnostics };
  }
  if (doc.contents === null) return { flows: [], diagnostics };
  if (!isSeq(doc.contents)) {
    diagnostics.push({ severity: 'error', code: 'invalid-flows-file', file, line: 1, message: `${file}:1: a flows file is a list of flows (YAML or JSON), or one JSON object per line` });
    return { flows: [], diagnostics };
  }
  const flows: Flow[] = [];
  doc.contents.items.forEach((item, index) => {
    const line = counter.linePos(isNode(item) ? item.range?.[0] ?? 0 : 0).line;
    let value: unknown;
    try {
      // Aliases are expanded with a cap, so an alias bomb fails here instead of exhausting memory.
      value = isNode(item) ? item.toJS(doc, { maxAliasCount: 100 }) : item;
    } catch {
      value = undefined;
    }
    const r = flowFromEntry(value, { file, line, index, kind: 'flows-file' });
    for (const d of r.diagnostics) diagnostics.push(d);
    if (r.flow) flows.push(r.flow);
  });
  return { flows, diagnostics: [...diagnostics, ...duplicateIds(flows, file)] };
}

/** A JSON list, read with JSON.parse and each item's line from one scan of the text; undefined if it does not parse. */
function parseJsonList(text: string, file: string): ParsedFlows | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const positions = new JsonPositions(text);
  const flows: Flow[] = [];
  const diagnostics: Diagnostic[] = [];
  value.forEach((entry: unknown, index) => {
    const line = positions.linePos(positions.offsetOf(`.${index}`)).line;
    const r = flowFromEntry(entry, { file, line, index, kind: 'flows-file' });
    for (const d of r.diagnostics) diagnostics.push(d);
    if (r.flow) flows.push(r.flow);
  });
  for (const d of duplicateIds(flows, file)) diagnostics.push(d);
  return { flows, diagnostics };
}

function parseJsonLines(text: string, file: string): ParsedFlows {
  const diagnostics: Diagnostic[] = [];
  const reader = new FlowLineReader(file, 'flows-file', diagnostics);
  const splitter = new LineSplitter(reader);
  splitter.push(text);
  splitter.end();
  return { flows: reader.take(), diagnostics };
}

function duplicateIds(flows: readonly Flow[], file: string): Diagnostic[] {
  const seen = new Map<string, Flow>();
  const out: Diagnostic[] = [];
  for (const f of flows) {
    const prior = seen.get(f.id);
    if (prior) {
      out.push({ severity: 'warning', code: 'duplicate-flow-id', file, line: f.origin?.source?.line ?? 0, message: `${file}:${f.origin?.source?.line}: flow id "${f.id}" is used again (first at line ${prior.origin?.source?.line}); results and diffs are joined on id` });
    } else seen.set(f.id, f);
  }
  return out;
}
