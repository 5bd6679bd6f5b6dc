import type { FlowResult, Hop } from '../../model/result.js';
import type { ChangeCounts, Expectation } from '../../model/scenario.js';
import type { FlowChange, ResultDiff } from '../diff/diff-results.js';
import { EMPTY_EXPECT_CONTEXT, type ExpectContext } from './expect-context.js';
import { unknownReferences } from './unknown-references.js';
import type { FieldMismatch, CountMismatch, ExpectationOutcome, UnknownReference } from '../../model/expectation.js';
import type { Clock } from '../../model/scenario-check.js';
export type { FieldMismatch, CountMismatch, ExpectationFailure, ExpectationOutcome, UnknownReference } from '../../model/expectation.js';

export interface ExpectOptions {
  /** The diff between the configuration before and after the what-if, for `changes`. */
  readonly diff?: ResultDiff;
  readonly context?: ExpectContext;
}

const CHANGE_COUNTS: readonly (keyof ChangeCounts)[] = ['allowedToDenied', 'deniedToAllowed', 'encryptedToPlaintext', 'plaintextToEncrypted'];
const CHANGE_KIND_OF: Record<keyof ChangeCounts, FlowChange['kinds'][number]> = {
  allowedToDenied: 'allowed-to-denied', deniedToAllowed: 'denied-to-allowed',
  encryptedToPlaintext: 'encrypted-to-plaintext', plaintextToEncrypted: 'plaintext-to-encrypted',
};

/**
 * Evaluates each expectation over the results (those after the what-if, if any). A failed invariant
 * carries its counterexamples, smallest first: fewest hops, then shortest id. Pure.
 */
export function evaluateExpectations(expectations: readonly Expectation[], results: readonly FlowResult[], options: ExpectOptions = {}): ExpectationOutcome[] {
  const evaluate = expectationEvaluator(results, options);
  return expectations.map(evaluate);
}

/**
 * `evaluateExpectations` that also reads the clock around each expectation: `seconds[i]` is what
 * outcome `i` took to evaluate. Pure given a pure clock.
 */
export function evaluateExpectationsTimed(expectations: readonly Expectation[], results: readonly FlowResult[], options: ExpectOptions & { readonly clock: Clock }): { outcomes: ExpectationOutcome[]; seconds: number[] } {
  const evaluate = expectationEvaluator(results, options);
  const seconds: number[] = [];
  const outcomes = expectations.map((e) => {
    const start = options.clock();
    const outcome = evaluate(e);
    seconds.push(Math.max(0, options.clock() - start));
    return outcome;
  });
  return { outcomes, seconds };
}

function expectationEvaluator(results: readonly FlowResult[], options: ExpectOptions): (e: Expectation) => ExpectationOutcome {
  const context = options.context ?? EMPTY_EXPECT_CONTEXT;
  const byId = new Map<string, FlowResult>();
  for (const r of results) if (!byId.has(r.id)) byId.set(r.id, r);
  return (e) => {
    switch (e.kind) {
      case 'flow': return flowOutcome(e, byId.get(e.flow));
      case 'noPlaintextInto': return unknownOutcome(e, unknownReferences(e, context))
        ?? invariant(e, results, (r) => r.verdict === 'allow' && r.hops.some((h) => plaintextInto(h, e.namespace)), 'plaintext-into');
      case 'onlyReachable': return unknownOutcome(e, unknownReferences(e, context))
        ?? invariant(e, results, (r) => r.verdict === 'allow' && reaches(r, e.to, context) && !fromAllowed(r.source, e.from, context), 'reachable-from-others');
      case 'changes': return changesOutcome(e, options.diff);
    }
  };
}

function flowOutcome(e: Extract<Expectation, { kind: 'flow' }>, r: FlowResult | undefined): ExpectationOutcome {
  if (!r) return { expectation: e, passed: false, failure: { kind: 'flow-missing', flow: e.flow }, checked: 0 };
  const mismatches: FieldMismatch[] = [];
  if (e.verdict !== undefined && e.verdict !== r.verdict) mismatches.push({ field: 'verdict', expected: e.verdict, actual: r.verdict });
  if (e.encrypted !== undefined && e.encrypted !== r.encrypted) mismatches.push({ field: 'encrypted', expected: e.encrypted, actual: r.encrypted });
  if (e.decidedBy !== undefined && !decidedByMatches(e.decidedBy, r)) {
    mismatches.push({ field: 'decidedBy', expected: e.decidedBy, actual: r.decidedBy.name === null ? r.decidedBy.component : `${r.decidedBy.component} ${r.decidedBy.name}` });
  }
  if (e.policy !== undefined && e.policy !== r.policy) mismatches.push({ field: 'policy', expected: e.policy, actual: r.policy });
  if (e.reason !== undefined && e.reason !== r.reason) mismatches.push({ field: 'reason', expected: e.reason, actual: r.reason });
  if (e.closedReason !== undefined && e.closedReason !== (r.closedReason ?? null)) mismatches.push({ field: 'closedReason', expected: e.closedReason, actual: r.closedReason ?? null });
  return mismatches.length === 0
    ? { expectation: e, passed: true, checked: 1 }
    : { expectation: e, passed: false, failure: { kind: 'flow-mismatch', mismatches, result: r }, checked: 1 };
}

/** `waypoint`, `payments/waypoint` or `waypoint payments/waypoint` against the result's deciding point. */
function decidedByMatches(expected: string, r: FlowResult): boolean {
  const space = expected.indexOf(' ');
  if (space > 0) return expected.slice(0, space) === r.decidedBy.component && expected.slice(space + 1) === r.decidedBy.name;
  return expected === r.decidedBy.component || expected === r.decidedBy.name;
}

/** An invariant naming what the mesh does not have fails, rather than holding over flows that cannot meet it. */
function unknownOutcome(e: Expectation, refs: readonly UnknownReference[]): ExpectationOutcome | undefined {
  return refs.length === 0 ? undefined : { expectation: e, passed: false, failure: { kind: 'unknown-reference', refs }, checked: 0 };
}

function invariant(e: Expectation, results: readonly FlowResult[], breaks: (r: FlowResult) => boolean, kind: 'plaintext-into' | 'reachable-from-others'): ExpectationOutcome {
  const counterexamples = results.filter(breaks).sort(smallestFirst);
  if (counterexamples.length === 0) return { expectation: e, passed: true, checked: results.length };
  return { expectation: e, passed: false, failure: { kind, counterexamples }, checked: results.length };
}

/** Fewest hops, then shortest id, then id order: the simplest flow that breaks an invariant first. */
export function smallestFirst(a: FlowResult, b: FlowResult): number {
  return a.hops.length - b.hops.length || a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A plaintext hop whose receiver (`ns/name` or `ns/name:port`) is in the namespace. */
function plaintextInto(hop: Hop, namespace: string): boolean {
  return hop.transport === 'plaintext' && hop.to.startsWith(`${namespace}/`);
}

/** Whether an allowed flow reached `to`: addressed to it, or delivered to one of its pods. */
function reaches(r: FlowResult, to: string, context: ExpectContext): boolean {
  if (r.destination === to || r.destination.startsWith(`${to}:`)) return true;
  const last = r.hops[r.hops.length - 1]?.to.replace(/:\d+$/, '');
  if (last === undefined) return false;
  if (last === to || context.controllerOf(last) === to) return true;
  return context.serviceEndpoints(to)?.includes(last) ?? false;
}

/** `ns/workload` (pod or controller) or `ns/*` entries against a flow's source. */
function fromAllowed(source: string, from: readonly string[], context: ExpectContext): boolean {
  const pod = context.podOf(source);
  const controller = pod === undefined ? undefined : context.controllerOf(pod);
  return from.some((f) =>
    f === source || (f.endsWith('/*') && source.startsWith(f.slice(0, -1))) ||
    (pod !== undefined && (f === pod || f === controller)));
}

function changesOutcome(e: Extract<Expectation, { kind: 'changes' }>, diff: ResultDiff | undefined): ExpectationOutcome {
  if (!diff) return { expectation: e, passed: false, failure: { kind: 'changes-without-what-if' }, checked: 0 };
  const wanted = e.counts === 'none' ? Object.fromEntries(CHANGE_COUNTS.map((c) => [c, 0])) as Partial<ChangeCounts> : e.counts;
  const mismatches: CountMismatch[] = [];
  for (const count of CHANGE_COUNTS) {
    const expected = wanted[count];
    if (expected !== undefined && expected !== diff.counts[count]) mismatches.push({ count, expected, actual: diff.counts[count] });
  }
  const checked = diff.counts.changed + diff.counts.unchanged;
  if (mismatches.length === 0) return { expectation: e, passed: true, checked };
  const kinds = new Set(mismatches.map((m) => CHANGE_KIND_OF[m.count]));
  const changes = diff.changed.filter((c) => c.kinds.some((k) => kinds.has(k)))
    .sort((a, b) => smallestFirst(a.after, b.after));
  return { expectation: e, passed: false, failure: { kind: 'changes-differ', mismatches, changes }, checked };
}
