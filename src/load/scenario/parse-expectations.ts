import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { ReasonCode } from '../../model/reason.js';
import type { ChangeCounts, Expectation } from '../../model/scenario.js';
import type { SourceRef } from '../../model/source.js';
import {
  describeNode, field, report, sourceOf, stringList, stringValue, textValue, warnUnknownKeys, type NodeContext,
} from './yaml-nodes.js';

/** Expectation kinds and their fields (schemas/scenario.schema.json lists the same). */
export const FLOW_FIELDS = ['flow', 'verdict', 'encrypted', 'decidedBy', 'policy', 'reason', 'closedReason', 'during'] as const;
export const COMPONENTS = ['waypoint', 'destination-ztunnel', 'sidecar', 'none'];
export const CHANGE_KEYS: readonly (keyof ChangeCounts)[] = ['allowedToDenied', 'deniedToAllowed', 'encryptedToPlaintext', 'plaintextToEncrypted'];
export const KINDS = ['flow', 'noPlaintextInto', 'onlyReachable', 'changes'];
/** Why a timeline closed a connection early (model/result.ts CloseReason). */
export const CLOSE_REASONS = ['closed-by-policy-update', 'waypoint-unavailable', 'ztunnel-restarting'] as const;

/** Parses an `expect` list node; malformed entries become diagnostics and are left out. */
export function parseExpectations(ctx: NodeContext, node: unknown): Expectation[] {
  if (!isSeq(node)) return report(ctx, node, `expect must be a list of expectations, got ${describeNode(node)}`) ?? [];
  const out: Expectation[] = [];
  for (const item of node.items) {
    const e = parseExpectation(ctx, item);
    if (e) out.push(e);
  }
  return out;
}

/** An expectation with its `during: <phase>` (checked over the flows of that phase of the timeline). */
function parseExpectation(ctx: NodeContext, item: unknown): Expectation | undefined {
  const e = parseExpectationBody(ctx, item);
  if (!e || !isMap(item)) return e;
  const node = field(item, 'during');
  if (node === undefined) return e;
  const during = stringValue(node);
  if (during === undefined || during.trim() === '') return report(ctx, node, `during takes the name of a phase of the timeline, got ${describeNode(node)}`);
  return { ...e, during };
}

function parseExpectationBody(ctx: NodeContext, item: unknown): Expectation | undefined {
  if (!isMap(item)) return report(ctx, item, `an expectation is a mapping with one of ${KINDS.join(', ')}, got ${describeNode(item)}`);
  const source = sourceOf(ctx, item);
  if (field(item, 'flow') !== undefined) return parseFlowExpectation(ctx, item, source);
  const kinds = KINDS.filter((k) => field(item, k) !== undefined);
  if (kinds.length !== 1) return report(ctx, item, `an expectation has exactly one of ${KINDS.join(', ')}${kinds.length > 1 ? `; found ${kinds.join(' and ')}` : ''}`);
  warnUnknownKeys(ctx, item, kinds[0] === 'changes' ? [...kinds, 'during', 'at'] : [...kinds, 'during'], 'expectation');
  if (kinds[0] === 'noPlaintextInto') {
    const ns = stringValue(field(item, 'noPlaintextInto'));
    if (!ns) return report(ctx, field(item, 'noPlaintextInto'), 'noPlaintextInto takes a namespace name');
    return { kind: 'noPlaintextInto', namespace: ns, source };
  }
  if (kinds[0] === 'onlyReachable') return parseOnlyReachable(ctx, field(item, 'onlyReachable'), source);
  const changes = parseChanges(ctx, field(item, 'changes'), source);
  const at = changes && changesAt(ctx, item, field(item, 'changes'));
  return changes && at !== null ? { ...changes, ...(at !== undefined ? { at } : {}) } : undefined;
}

/** `changes`' phase boundary: `at` in the changes mapping, or beside it (for `changes: none`); null when malformed. */
function changesAt(ctx: NodeContext, item: YAMLMap, changes: unknown): string | undefined | null {
  const node = field(item, 'at') ?? (isMap(changes) ? field(changes, 'at') : undefined);
  if (node === undefined) return undefined;
  const at = stringValue(node);
  if (at === undefined || at.trim() === '') return report(ctx, node, `changes.at takes the name of a phase of the timeline, got ${describeNode(node)}`) ?? null;
  return at;
}

function parseFlowExpectation(ctx: NodeContext, m: YAMLMap, source: SourceRef): Expectation | undefined {
  warnUnknownKeys(ctx, m, FLOW_FIELDS, 'flow expectation');
  const id = textValue(field(m, 'flow'));
  if (id === undefined || id === '') return report(ctx, field(m, 'flow'), 'flow takes the id of a flow');
  const checks: Record<string, unknown> = {};
  const verdict = field(m, 'verdict');
  if (verdict !== undefined) {
    const v = stringValue(verdict);
    if (v !== 'allow' && v !== 'deny') return report(ctx, verdict, `verdict must be allow or deny, got ${describeNode(verdict)}`);
    checks['verdict'] = v;
  }
  const encrypted = field(m, 'encrypted');
  if (encrypted !== undefined) {
    if (!isScalar(encrypted) || typeof encrypted.value !== 'boolean') return report(ctx, encrypted, `encrypted must be true or false, got ${describeNode(encrypted)}`);
    checks['encrypted'] = encrypted.value;
  }
  const decidedBy = field(m, 'decidedBy');
  if (decidedBy !== undefined) {
    const d = parseDecidedBy(ctx, decidedBy);
    if (d === undefined) return undefined;
    checks['decidedBy'] = d;
  }
  const policy = field(m, 'policy');
  if (policy !== undefined) {
    if (isScalar(policy) && policy.value === null) checks['policy'] = null;
    else if (stringValue(policy)?.includes('/')) checks['policy'] = stringValue(policy);
    else return report(ctx, policy, `policy must be namespace/name (istiod's name for converted policies) or null, got ${describeNode(policy)}`);
  }
  const reason = field(m, 'reason');
  if (reason !== undefined) {
    const r = stringValue(reason);
    if (!r || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(r)) return report(ctx, reason, `reason must be a reason code such as no-allow-policy-matched, got ${describeNode(reason)}`);
    checks['reason'] = r as ReasonCode;
  }
  const closed = field(m, 'closedReason');
  if (closed !== undefined) {
    const c = isScalar(closed) && closed.value === null ? null : stringValue(closed);
    if (c !== null && !(CLOSE_REASONS as readonly (string | undefined)[]).includes(c)) return report(ctx, closed, `closedReason must be one of ${CLOSE_REASONS.join(', ')}, or null for a connection not closed early, got ${describeNode(closed)}`);
    checks['closedReason'] = c;
  }
  if (Object.keys(checks).length === 0) return report(ctx, m, `flow expectation for "${id}" checks nothing; give any of verdict, encrypted, decidedBy, policy, reason, closedReason`);
  return { kind: 'flow', flow: id, ...checks, source } as Expectation;
}

/** `waypoint`, `payments/waypoint`, `waypoint payments/waypoint`, or `{ component, name }`. */
function parseDecidedBy(ctx: NodeContext, node: unknown): string | undefined {
  const text = stringValue(node);
  if (text !== undefined && text !== '') {
    const first = text.split(' ')[0] as string;
    if (text.includes(' ') && !COMPONENTS.includes(first)) return report(ctx, node, `decidedBy "${text}" starts with an unknown component; components are ${COMPONENTS.join(', ')}`);
    if (!text.includes(' ') && !text.includes('/') && !COMPONENTS.includes(text) && !/^[a-z0-9.-]+$/.test(text)) {
      return report(ctx, node, `decidedBy must be a component (${COMPONENTS.join(', ')}) or its name, got "${text}"`);
    }
    return text;
  }
  if (isMap(node)) {
    const component = stringValue(field(node, 'component'));
    const name = stringValue(field(node, 'name'));
    if (component !== undefined && !COMPONENTS.includes(component)) return report(ctx, node, `decidedBy.component must be one of ${COMPONENTS.join(', ')}, got "${component}"`);
    if (component === undefined && name === undefined) return report(ctx, node, 'decidedBy needs component or name');
    return [component, name].filter((x) => x !== undefined).join(' ');
  }
  return report(ctx, node, `decidedBy must be a component (${COMPONENTS.join(', ')}) or its name, got ${describeNode(node)}`);
}

function parseOnlyReachable(ctx: NodeContext, node: unknown, source: SourceRef): Expectation | undefined {
  if (!isMap(node)) return report(ctx, node, `onlyReachable must be { to: ns/name, from: [ns/workload, ...] }, got ${describeNode(node)}`);
  warnUnknownKeys(ctx, node, ['to', 'from'], 'onlyReachable');
  const to = stringValue(field(node, 'to'));
  if (!to || !to.includes('/')) return report(ctx, field(node, 'to') ?? node, 'onlyReachable.to must be a Service or workload as namespace/name');
  const fromNode = field(node, 'from');
  const from = fromNode === undefined || (isSeq(fromNode) && fromNode.items.length === 0) ? [] : stringList(ctx, fromNode, 'onlyReachable.from');
  if (from === undefined) return undefined;
  return { kind: 'onlyReachable', to, from, source };
}

function parseChanges(ctx: NodeContext, node: unknown, source: SourceRef): Expectation | undefined {
  if (stringValue(node) === 'none') return { kind: 'changes', counts: 'none', source };
  if (!isMap(node)) return report(ctx, node, `changes must be none or a mapping of ${CHANGE_KEYS.join(', ')} to counts, got ${describeNode(node)}`);
  const counts: Partial<Record<keyof ChangeCounts, number>> = {};
  for (const pair of node.items) {
    if (stringValue(pair.key) === 'at') continue;
    const key = stringValue(pair.key) as keyof ChangeCounts | undefined;
    if (key === undefined || !CHANGE_KEYS.includes(key)) return report(ctx, pair.key, `changes: unknown count "${textValue(pair.key) ?? '?'}"; counts are ${CHANGE_KEYS.join(', ')}`);
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return report(ctx, pair.value, `changes.${key} must be a non-negative integer, got ${describeNode(pair.value)}`);
    counts[key] = value;
  }
  if (Object.keys(counts).length === 0) return report(ctx, node, 'changes lists no counts; use changes: none for "nothing changes"');
  return { kind: 'changes', counts, source };
}
