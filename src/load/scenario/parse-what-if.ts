import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type YAMLMap } from 'yaml';
import { withoutByteOrderMark } from '../byte-order-mark.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { MtlsMode } from '../../model/policy.js';
import type { ManifestText, WhatIfStepSpec } from '../../model/scenario.js';
import type { ObjectRef, SourceRef } from '../../model/source.js';
import {
  describeNode, field, report, sourceOf, stringList, stringValue, textInPlace, textValue, warnUnknownKeys, type NodeContext,
} from './yaml-nodes.js';
import { parserMessage } from '../excerpt.js';

/** The step kinds a `whatIf` list may hold, each a one-key mapping. */
export const STEP_KINDS = ['apply', 'delete', 'label', 'ambient', 'useWaypoint', 'addWaypoint', 'peerAuthentication', 'removeSidecarInjection'] as const;
type StepKind = (typeof STEP_KINDS)[number];

export const MTLS_MODES: readonly MtlsMode[] = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];
export const TRAFFIC_TYPES = ['service', 'workload', 'all', 'none'] as const;
type StepParser = (ctx: NodeContext, node: unknown, source: SourceRef) => WhatIfStepSpec | undefined;

/** Parses a `whatIf` list node into steps; malformed steps become diagnostics and are left out. */
export function parseWhatIfSteps(ctx: NodeContext, node: unknown): WhatIfStepSpec[] {
  if (!isSeq(node)) return report(ctx, node, `whatIf must be a list of steps (${STEP_KINDS.join(', ')}), got ${describeNode(node)}`) ?? [];
  const steps: WhatIfStepSpec[] = [];
  for (const item of node.items) {
    if (!isMap(item) || item.items.length !== 1 || !isScalar(item.items[0]?.key)) {
      report(ctx, item, `a whatIf step is a mapping with exactly one of ${STEP_KINDS.join(', ')}, got ${describeNode(item)}`);
      continue;
    }
    const pair = item.items[0];
    const kind = String((pair?.key as { value: unknown }).value);
    if (!(STEP_KINDS as readonly string[]).includes(kind)) {
      report(ctx, pair?.key, `unknown whatIf step "${kind}"; steps are ${STEP_KINDS.join(', ')}`);
      continue;
    }
    const step = PARSERS[kind as StepKind](ctx, pair?.value ?? null, sourceOf(ctx, item));
    if (step) steps.push(step);
  }
  return steps;
}

/**
 * Parses a steps file for `diff --what-if`: a list of steps, or a mapping with a `whatIf` list (so a
 * scenario file works too). Never throws.
 */
export function parseWhatIfFile(input: string, file: string): { steps: WhatIfStepSpec[]; diagnostics: Diagnostic[] } {
  const text = withoutByteOrderMark(input);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, logLevel: 'error' });
  const ctx: NodeContext = { file, text, counter, diagnostics: [] };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report(ctx, { range: [e.pos[0]] }, parserMessage(e.message), 'yaml-syntax');
    return { steps: [], diagnostics: ctx.diagnostics };
  }
  const root = doc.contents;
  const list = isMap(root) ? field(root, 'whatIf') : root;
  if (list === undefined || list === null) {
    report(ctx, root, 'a steps file is a list of whatIf steps, or a mapping with a whatIf list');
    return { steps: [], diagnostics: ctx.diagnostics };
  }
  return { steps: parseWhatIfSteps(ctx, list), diagnostics: ctx.diagnostics };
}

/**
 * Parses steps given as a value (a list of steps, or a mapping with a `whatIf` list), as a steps file
 * with that content would be read: the value is written out as YAML, so diagnostics point into that
 * text. Never throws.
 */
export function parseWhatIfValue(value: unknown, file: string): { steps: WhatIfStepSpec[]; diagnostics: Diagnostic[] } {
  return parseWhatIfFile(stringify(value ?? null), file);
}

const PARSERS: Record<StepKind, StepParser> = {
  apply: parseApply,
  delete: parseDelete,
  label: parseLabel,
  ambient: (ctx, node, source) => {
    const m = mapping(ctx, node, 'ambient', ['namespace', 'enabled'], 'namespace');
    if (!m) return undefined;
    const namespace = required(ctx, m, 'namespace', 'ambient');
    const enabled = optionalBoolean(ctx, m, 'enabled', 'ambient', true);
    return namespace === undefined || enabled === undefined ? undefined : { kind: 'ambient', namespace, enabled, source };
  },
  useWaypoint: (ctx, node, source) => {
    const m = mapping(ctx, node, 'useWaypoint', ['namespace', 'service', 'waypoint']);
    if (!m) return undefined;
    const waypoint = required(ctx, m, 'waypoint', 'useWaypoint');
    const ns = stringValue(field(m, 'namespace'));
    const svc = stringValue(field(m, 'service'));
    if ((ns === undefined) === (svc === undefined)) return report(ctx, m, 'useWaypoint needs exactly one of namespace or service (ns/name)');
    if (svc !== undefined && !svc.includes('/')) return report(ctx, field(m, 'service'), `useWaypoint.service must be namespace/name, got "${svc}"`);
    if (waypoint === undefined) return undefined;
    return { kind: 'useWaypoint', target: ns !== undefined ? { namespace: ns } : { service: svc as string }, waypoint, source };
  },
  addWaypoint: (ctx, node, source) => {
    const m = mapping(ctx, node, 'addWaypoint', ['namespace', 'name', 'for', 'enrollNamespace'], 'namespace');
    if (!m) return undefined;
    const namespace = required(ctx, m, 'namespace', 'addWaypoint');
    const name = field(m, 'name') === undefined ? 'waypoint' : required(ctx, m, 'name', 'addWaypoint');
    const forNode = field(m, 'for');
    const forValue = forNode === undefined ? undefined : stringValue(forNode);
    if (forNode !== undefined && !(TRAFFIC_TYPES as readonly (string | undefined)[]).includes(forValue)) {
      return report(ctx, forNode, `addWaypoint.for must be one of ${TRAFFIC_TYPES.join(', ')}, got ${describeNode(forNode)}`);
    }
    const enroll = optionalBoolean(ctx, m, 'enrollNamespace', 'addWaypoint', false);
    if (namespace === undefined || name === undefined || enroll === undefined) return undefined;
    return { kind: 'addWaypoint', namespace, name, ...(forValue ? { for: forValue as (typeof TRAFFIC_TYPES)[number] } : {}), enrollNamespace: enroll, source };
  },
  peerAuthentication: (ctx, node, source) => {
    const m = mapping(ctx, node, 'peerAuthentication', ['namespace', 'mode']);
    if (!m) return undefined;
    const namespace = required(ctx, m, 'namespace', 'peerAuthentication');
    const mode = required(ctx, m, 'mode', 'peerAuthentication');
    if (mode !== undefined && !(MTLS_MODES as readonly string[]).includes(mode)) {
      return report(ctx, field(m, 'mode'), `peerAuthentication.mode must be one of ${MTLS_MODES.join(', ')}, got "${mode}"`);
    }
    return namespace === undefined || mode === undefined ? undefined : { kind: 'peerAuthentication', namespace, mode: mode as MtlsMode, source };
  },
  removeSidecarInjection: (ctx, node, source) => {
    const m = mapping(ctx, node, 'removeSidecarInjection', ['namespace'], 'namespace');
    const namespace = m && required(ctx, m, 'namespace', 'removeSidecarInjection');
    return namespace === undefined ? undefined : { kind: 'removeSidecarInjection', namespace, source };
  },
};

function parseApply(ctx: NodeContext, node: unknown, source: SourceRef): WhatIfStepSpec | undefined {
  const items = isSeq(node) ? node.items : [node];
  const files: string[] = [];
  const fileSources: SourceRef[] = [];
  const inline: ManifestText[] = [];
  for (const item of items) {
    const path = stringValue(item);
    if (path !== undefined && path !== '') {
      files.push(path);
      fileSources.push(sourceOf(ctx, item));
    } else if (isMap(item)) inline.push({ file: ctx.file, ...textInPlace(ctx, item) });
    else return report(ctx, item, `apply takes manifest files or directories, or inline objects, got ${describeNode(item)}`);
  }
  if (files.length === 0 && inline.length === 0) return report(ctx, node, 'apply lists nothing to apply');
  return { kind: 'apply', files, fileSources, inline, source };
}

function parseDelete(ctx: NodeContext, node: unknown, source: SourceRef): WhatIfStepSpec | undefined {
  const items = isSeq(node) ? node.items : [node];
  const targets: ObjectRef[] = [];
  for (const item of items) {
    const m = mapping(ctx, item, 'delete', ['kind', 'namespace', 'name']);
    const ref = m && objectRef(ctx, m, 'delete');
    if (!ref) return undefined;
    targets.push(ref);
  }
  return targets.length === 0 ? report(ctx, node, 'delete lists nothing to delete') : { kind: 'delete', targets, source };
}

function parseLabel(ctx: NodeContext, node: unknown, source: SourceRef): WhatIfStepSpec | undefined {
  const m = mapping(ctx, node, 'label', ['kind', 'namespace', 'name', 'set', 'remove']);
  const target = m && objectRef(ctx, m, 'label');
  if (!m || !target) return undefined;
  const setNode = field(m, 'set');
  const set: Record<string, string> = {};
  if (setNode !== undefined) {
    if (!isMap(setNode)) return report(ctx, setNode, `label.set must be a mapping of label to value, got ${describeNode(setNode)}`);
    for (const pair of setNode.items) {
      const key = textValue(pair.key);
      const value = textValue(pair.value);
      if (key === undefined || key === '' || value === undefined) return report(ctx, pair.key, 'label.set values must be strings');
      set[key] = value;
    }
  }
  const removeNode = field(m, 'remove');
  const remove = removeNode === undefined ? [] : stringList(ctx, removeNode, 'label.remove');
  if (remove === undefined) return undefined;
  if (Object.keys(set).length === 0 && remove.length === 0) return report(ctx, m, 'label needs set or remove');
  return { kind: 'label', target, set, remove, source };
}

function objectRef(ctx: NodeContext, m: YAMLMap, what: string): ObjectRef | undefined {
  const kind = required(ctx, m, 'kind', what);
  const name = required(ctx, m, 'name', what);
  const nsNode = field(m, 'namespace');
  const namespace = nsNode === undefined ? undefined : stringValue(nsNode);
  if (nsNode !== undefined && !namespace) return report(ctx, nsNode, `${what}.namespace must be a string, got ${describeNode(nsNode)}`);
  if (kind === undefined || name === undefined) return undefined;
  return namespace !== undefined ? { kind, namespace, name } : { kind, name };
}

/** A step's mapping; a bare string is accepted for a step whose one required field is `shorthand`. */
function mapping(ctx: NodeContext, node: unknown, what: string, known: readonly string[], shorthand?: string): YAMLMap | undefined {
  if (shorthand !== undefined && stringValue(node) !== undefined) {
    const doc = parseDocument(`${shorthand}: ${JSON.stringify(stringValue(node))}`);
    const m = doc.contents as YAMLMap;
    (m as { range?: unknown }).range = (node as { range?: unknown }).range;
    for (const p of m.items) (p.value as { range?: unknown }).range = (node as { range?: unknown }).range;
    return m;
  }
  if (!isMap(node)) return report(ctx, node, `${what} must be a mapping with ${known.join(', ')}, got ${describeNode(node)}`);
  warnUnknownKeys(ctx, node, known, what);
  return node;
}

function required(ctx: NodeContext, m: YAMLMap, key: string, what: string): string | undefined {
  const node = field(m, key);
  const value = stringValue(node);
  if (value === undefined || value === '') return report(ctx, node ?? m, `${what}.${key} is required and must be a string, got ${describeNode(node)}`);
  return value;
}

function optionalBoolean(ctx: NodeContext, m: YAMLMap, key: string, what: string, fallback: boolean): boolean | undefined {
  const node = field(m, key);
  if (node === undefined) return fallback;
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  return report(ctx, node, `${what}.${key} must be true or false, got ${describeNode(node)}`);
}
