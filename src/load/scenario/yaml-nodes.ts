import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { WrittenPath } from '../../model/scenario.js';
import { excerpt } from '../excerpt.js';
import type { SourceRef } from '../../model/source.js';

/** What the scenario parsers share while reading one YAML document. */
export interface NodeContext {
  readonly file: string;
  readonly text: string;
  readonly counter: LineCounter;
  readonly diagnostics: Diagnostic[];
}

/** 1-based line and column where a node starts (line 1 when the node has no position). */
export function positionOf(ctx: NodeContext, node: unknown): { line: number; col: number } {
  const start = (node as { range?: readonly number[] } | null | undefined)?.range?.[0];
  if (start === undefined) return { line: 1, col: 1 };
  const pos = ctx.counter.linePos(start);
  return { line: pos.line, col: pos.col };
}

/** Where a node was written, as a SourceRef. */
export function sourceOf(ctx: NodeContext, node: unknown): SourceRef {
  const { line, col } = positionOf(ctx, node);
  return { file: ctx.file, document: 0, line, column: col };
}

/** Records an error at a node, `file:line:col: message`; returns undefined for convenient early returns. */
export function report(ctx: NodeContext, node: unknown, message: string, code = 'invalid-scenario', severity: Diagnostic['severity'] = 'error'): undefined {
  const { line, col } = positionOf(ctx, node);
  ctx.diagnostics.push({ severity, code, file: ctx.file, line, column: col, message: `${ctx.file}:${line}:${col}: ${message}` });
  return undefined;
}

/** The value node of `key` in a mapping. */
export function field(map: YAMLMap, key: string): Node | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<unknown, Node> | undefined;
  return pair?.value ?? undefined;
}

/** The key node of `key` in a mapping, for positions of fields whose value is empty. */
export function keyNode(map: YAMLMap, key: string): unknown {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key)?.key;
}

/** Warns about keys of a mapping outside `known`. */
export function warnUnknownKeys(ctx: NodeContext, map: YAMLMap, known: readonly string[], what: string): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key !== undefined && known.includes(key)) continue;
    report(ctx, pair.key, `${what}: unknown field "${key ?? '?'}" ignored; known fields are ${known.join(', ')}`, 'unknown-scenario-field', 'warning');
  }
}

/** A scalar string (numbers and booleans are not strings). */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** A string, or a number written where a string is meant (`"8080"` vs `8080`). */
export function textValue(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean' ? String(node.value) : undefined;
}

/** A list of strings, or a single string taken as a one-element list. */
export function stringList(ctx: NodeContext, node: unknown, what: string): string[] | undefined {
  const one = stringValue(node);
  if (one !== undefined) return [one];
  if (!isSeq(node)) return report(ctx, node, `${what} must be a string or a list of strings, got ${describeNode(node)}`);
  const out: string[] = [];
  for (const item of node.items) {
    const s = stringValue(item);
    if (s === undefined || s === '') return report(ctx, item, `${what} must list non-empty strings, got ${describeNode(item)}`);
    out.push(s);
  }
  return out;
}

/** The strings of a string or list node under `field`, each with where it was written (other items are left to the field's parser). */
export function writtenPaths(ctx: NodeContext, node: unknown, field: string): WrittenPath[] {
  const items = isSeq(node) ? node.items : [node];
  const out: WrittenPath[] = [];
  for (const item of items) {
    const path = stringValue(item);
    if (path !== undefined && path !== '') out.push({ field, path, source: sourceOf(ctx, item) });
  }
  return out;
}

/** Plain JavaScript for a node (mappings to objects, sequences to arrays). */
export function plain(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  return (node as { toJSON?: () => unknown }).toJSON?.() ?? node;
}

/**
 * The text of a node as the manifest loader takes an excerpt: from the start of its line (what comes
 * before it on that line blanked, so columns are the file's) to its end, with the line it starts on,
 * so that the loader reports the same lines and columns as the original file.
 */
export function textInPlace(ctx: NodeContext, node: unknown): { text: string; firstLine: number } {
  const range = (node as { range?: readonly number[] } | null | undefined)?.range;
  if (!range) return { text: '', firstLine: 1 };
  const [start = 0, end = ctx.text.length] = range;
  const at = ctx.counter.linePos(start);
  return { text: ' '.repeat(at.col - 1) + ctx.text.slice(start, end), firstLine: at.line };
}

/** How a node is described in messages: its kind, or its scalar value. */
export function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'nothing' : `${typeof node.value} ${excerpt(String(node.value))}`;
  return 'an unsupported value';
}
