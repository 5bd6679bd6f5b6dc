import { isMap, isScalar, isSeq, LineCounter, parseDocument, YAMLMap, YAMLSeq, type Node, type Pair } from 'yaml';
import { withoutByteOrderMark } from '../byte-order-mark.js';
import { parserMessage } from '../excerpt.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { WhatIfStepSpec } from '../../model/scenario.js';
import type { SourceRef } from '../../model/source.js';
import { DEFAULT_TIMELINE_SETTINGS, type TimelineEntry, type TimelineSettings, type TimelineSpec } from '../../model/timeline.js';
import { parseWhatIfSteps, STEP_KINDS } from './parse-what-if.js';
import { describeNode, field, report, sourceOf, stringValue, warnUnknownKeys, type NodeContext } from './yaml-nodes.js';

/** The event kinds of a timeline entry besides the what-if steps. */
export const FAULT_KINDS = ['phase', 'waypointDown', 'waypointUp', 'ztunnelRestart', 'istiodUnreachable'] as const;
const EVENT_KINDS: readonly string[] = [...FAULT_KINDS, ...STEP_KINDS];
const SETTINGS_FIELDS = ['pushDelay'];

type Entry = TimelineEntry<WhatIfStepSpec>;

/**
 * Parses a timeline file (DESIGN.md "Timeline"): a YAML or JSON list of timed events, or a mapping
 * with a `timeline` list and optional `settings` (so a scenario file works too). Every malformed
 * entry is an error at its file:line:column and is left out; unknown keys are reported. Never throws.
 */
export function parseTimelineFile(input: string, file: string): { timeline: TimelineSpec; diagnostics: Diagnostic[] } {
  const text = withoutByteOrderMark(input);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, logLevel: 'error' });
  const ctx: NodeContext = { file, text, counter, diagnostics: [] };
  const empty = { entries: [], settings: DEFAULT_TIMELINE_SETTINGS };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report(ctx, { range: [e.pos[0]] }, parserMessage(e.message), 'yaml-syntax');
    return { timeline: empty, diagnostics: ctx.diagnostics };
  }
  const root = doc.contents;
  const list = isMap(root) ? field(root, 'timeline') : root;
  if (!isSeq(list)) {
    report(ctx, list ?? root, `a timeline file is a list of timed events, or a mapping with a timeline list (and settings), got ${describeNode(list ?? root)}`);
    return { timeline: empty, diagnostics: ctx.diagnostics };
  }
  const settings = isMap(root) ? parseTimelineSettings(ctx, field(root, 'settings')) : DEFAULT_TIMELINE_SETTINGS;
  return { timeline: { entries: parseTimelineEntries(ctx, list), settings }, diagnostics: ctx.diagnostics };
}

/** A `settings` mapping (`pushDelay`: non-negative seconds); absent: the defaults. */
export function parseTimelineSettings(ctx: NodeContext, node: unknown): TimelineSettings {
  if (node === undefined || node === null) return DEFAULT_TIMELINE_SETTINGS;
  if (!isMap(node)) return report(ctx, node, `settings must be a mapping with ${SETTINGS_FIELDS.join(', ')}, got ${describeNode(node)}`) ?? DEFAULT_TIMELINE_SETTINGS;
  warnUnknownKeys(ctx, node, SETTINGS_FIELDS, 'settings');
  const delay = field(node, 'pushDelay');
  if (delay === undefined) return DEFAULT_TIMELINE_SETTINGS;
  const seconds = secondsOf(ctx, delay, 'settings.pushDelay');
  return seconds === undefined ? DEFAULT_TIMELINE_SETTINGS : { pushDelay: seconds };
}

/** A `timeline` list node into entries, in file order; malformed entries become diagnostics. */
export function parseTimelineEntries(ctx: NodeContext, node: unknown): Entry[] {
  if (!isSeq(node)) return report(ctx, node, `timeline must be a list of timed events, got ${describeNode(node)}`) ?? [];
  const entries: Entry[] = [];
  for (const item of node.items) {
    const entry = parseEntry(ctx, item);
    if (entry) entries.push(entry);
  }
  return entries;
}

function parseEntry(ctx: NodeContext, item: unknown): Entry | undefined {
  if (!isMap(item)) return report(ctx, item, `a timeline event is a mapping with at and one of ${EVENT_KINDS.join(', ')}, got ${describeNode(item)}`);
  const atNode = field(item, 'at');
  if (atNode === undefined) return report(ctx, item, 'a timeline event needs at: the seconds from the start of the timeline');
  const at = secondsOf(ctx, atNode, 'at');
  const pairs = item.items.filter((p) => !(isScalar(p.key) && String(p.key.value) === 'at'));
  const kinds = pairs.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  const unknown = pairs.filter((_, i) => !EVENT_KINDS.includes(kinds[i] as string));
  for (const p of unknown) report(ctx, p.key, `unknown timeline event "${isScalar(p.key) ? String(p.key.value) : describeNode(p.key)}"; events are ${EVENT_KINDS.join(', ')}`);
  const known = pairs.filter((p) => !unknown.includes(p));
  if (known.length !== 1) {
    return unknown.length > 0 && known.length === 0 ? undefined : report(ctx, item, `a timeline event has exactly one of ${EVENT_KINDS.join(', ')}, got ${known.length === 0 ? 'none' : kinds.filter((k) => EVENT_KINDS.includes(k)).join(' and ')}`);
  }
  if (at === undefined) return undefined;
  const pair = known[0] as Pair<unknown, unknown>;
  return eventOf(ctx, String((pair.key as { value: unknown }).value), pair, { at, source: sourceOf(ctx, item), item });
}

interface EntryBase {
  readonly at: number;
  readonly source: SourceRef;
  readonly item: YAMLMap;
}

function eventOf(ctx: NodeContext, kind: string, pair: Pair<unknown, unknown>, base: EntryBase): Entry | undefined {
  const { at, source } = base;
  const value = pair.value as Node | null;
  switch (kind) {
    case 'phase': {
      const name = stringValue(value);
      return name === undefined || name.trim() === '' ? report(ctx, value ?? pair.key, `phase must name the interval that starts here, got ${describeNode(value)}`) : { kind, at, name, source };
    }
    case 'waypointDown':
    case 'waypointUp': {
      const waypoint = stringValue(value);
      if (waypoint === undefined || !/^[^/\s]+\/[^/\s]+$/.test(waypoint)) return report(ctx, value ?? pair.key, `${kind} names a waypoint as namespace/name, got ${describeNode(value)}`);
      return { kind, at, waypoint, source };
    }
    case 'ztunnelRestart': {
      const m = windowMapping(ctx, value, pair.key, kind, ['node', 'for']);
      const node = m && stringValue(field(m, 'node'));
      if (m && (node === undefined || node === '')) return report(ctx, field(m, 'node') ?? m, `ztunnelRestart.node is required: the node whose ztunnel restarts, got ${describeNode(field(m, 'node'))}`);
      const span = m && window(ctx, m, kind);
      return m && span !== undefined && node ? { kind, at, node, for: span, source } : undefined;
    }
    case 'istiodUnreachable': {
      const m = windowMapping(ctx, value, pair.key, kind, ['for']);
      const span = m && window(ctx, m, kind);
      return m && span !== undefined ? { kind, at, for: span, source } : undefined;
    }
    default:
      return configure(ctx, pair, base);
  }
}

/** A what-if step at a time, read by the what-if parser from a one-key mapping placed where the entry was written. */
function configure(ctx: NodeContext, pair: Pair<unknown, unknown>, base: EntryBase): Entry | undefined {
  const one = new YAMLMap();
  one.items.push(pair as Pair<never, never>);
  one.range = base.item.range;
  const list = new YAMLSeq();
  list.items.push(one);
  const [step] = parseWhatIfSteps(ctx, list);
  return step ? { kind: 'configure', at: base.at, step, source: base.source } : undefined;
}

function windowMapping(ctx: NodeContext, value: unknown, key: unknown, kind: string, known: readonly string[]): YAMLMap | undefined {
  if (!isMap(value)) return report(ctx, value ?? key, `${kind} must be a mapping with ${known.join(', ')}, got ${describeNode(value)}`);
  warnUnknownKeys(ctx, value, known, kind);
  return value;
}

function window(ctx: NodeContext, m: YAMLMap, kind: string): number | undefined {
  const node = field(m, 'for');
  if (node === undefined) return report(ctx, m, `${kind}.for is required: how many seconds it lasts`);
  const span = secondsOf(ctx, node, `${kind}.for`);
  if (span === 0) return report(ctx, node, `${kind}.for must be more than 0 seconds`);
  return span;
}

/** A non-negative, finite number of seconds. */
function secondsOf(ctx: NodeContext, node: unknown, what: string): number | undefined {
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return report(ctx, node, `${what} must be a number of seconds, got ${describeNode(node)}`);
  if (value < 0) return report(ctx, node, `${what} must not be negative, got ${value}`);
  return value;
}
