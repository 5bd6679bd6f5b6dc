import type { ExpectationFailure, ExpectationOutcome, UnknownReference } from '../model/expectation.js';
import type { FlowResult } from '../model/result.js';
import type { Expectation } from '../model/scenario.js';

/** How many counterexample flows reports show in full; the rest are listed by id. */
export const SHOWN_COUNTEREXAMPLES = 3;

/** A one-line name for an expectation, used as the JUnit test case name; `during <phase>: ...` for one phase of a timeline. */
export function expectationTitle(e: Expectation): string {
  const title = bodyTitle(e);
  return e.during !== undefined ? `during ${e.during}: ${title}` : title;
}

function bodyTitle(e: Expectation): string {
  switch (e.kind) {
    case 'flow': {
      const checks = [
        e.verdict !== undefined ? `verdict ${e.verdict}` : undefined,
        e.encrypted !== undefined ? (e.encrypted ? 'encrypted' : 'not encrypted') : undefined,
        e.decidedBy !== undefined ? `decided by ${e.decidedBy}` : undefined,
        e.policy !== undefined ? `policy ${e.policy ?? 'none'}` : undefined,
        e.reason !== undefined ? `reason ${e.reason}` : undefined,
        e.closedReason !== undefined ? (e.closedReason === null ? 'not closed early' : `closed early: ${e.closedReason}`) : undefined,
      ].filter((c) => c !== undefined);
      return `flow ${e.flow}: ${checks.join(', ')}`;
    }
    case 'noPlaintextInto': return `no plaintext into namespace ${e.namespace}`;
    case 'onlyReachable': return e.from.length === 0 ? `nothing can reach ${e.to}` : `only ${e.from.join(', ')} can reach ${e.to}`;
    case 'changes': {
      const what = e.at !== undefined ? `the start of phase ${e.at}` : 'the what-if';
      return e.counts === 'none'
        ? `${what} changes no flow's verdict or encryption`
        : `${what} changes: ${Object.entries(e.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`;
    }
  }
}

/** One sentence saying why an expectation failed (the JUnit failure message). */
export function failureMessage(f: ExpectationFailure): string {
  switch (f.kind) {
    case 'flow-missing': return `no flow has id "${f.flow}"; check the id against the flows of the scenario`;
    case 'unknown-reference': return `${unknownText(f.refs)}: the invariant would hold over any traffic; check the names against the manifests`;
    case 'flow-mismatch': return f.mismatches.map((m) => `${m.field}: expected ${show(m.expected)}, got ${show(m.actual)}`).join('; ');
    case 'plaintext-into': return `${count(f.counterexamples.length)} reach the namespace over a plaintext hop, e.g. ${f.counterexamples[0]?.id}`;
    case 'reachable-from-others': return `${count(f.counterexamples.length)} from other sources are allowed, e.g. ${f.counterexamples[0]?.id} from ${f.counterexamples[0]?.source}`;
    case 'changes-differ': return f.mismatches.map((m) => `${m.count}: expected ${m.expected}, got ${m.actual}`).join('; ');
    case 'changes-without-what-if': return 'changes needs a whatIf section: there is nothing to compare with';
    case 'unknown-phase': return f.phases.length === 0
      ? `no phase "${f.phase}": the scenario has no timeline with phases`
      : `no phase "${f.phase}" in the timeline; its phases are ${f.phases.map((p) => `"${p}"`).join(', ')}`;
  }
}

/** What each unknown name is: `namespace "paymnts" has no workload or Service; to "a/b" names no Service or workload`. */
export function unknownText(refs: readonly UnknownReference[]): string {
  return refs.map((r) => {
    if (r.field === 'namespace') return `namespace "${r.ref}" has no workload or Service`;
    if (r.ref.endsWith('/*')) return `${r.field} "${r.ref}" names a namespace with no workload or Service`;
    if (r.field === 'from') return `from "${r.ref}" names no pod or controller`;
    return `${r.field} "${r.ref}" names no Service, pod or controller`;
  }).join('; ');
}

/** The flows a failure is about, smallest first (for a change, the result after the what-if). */
export function failingFlows(f: ExpectationFailure): readonly FlowResult[] {
  switch (f.kind) {
    case 'flow-mismatch': return [f.result];
    case 'plaintext-into':
    case 'reachable-from-others': return f.counterexamples;
    case 'changes-differ': return f.changes.map((c) => c.after);
    default: return [];
  }
}

/** For a changed flow in a `changes` failure: `allow -> deny, mTLS -> plaintext`. */
export function changeLine(before: FlowResult, after: FlowResult): string {
  const parts: string[] = [];
  if (before.verdict !== after.verdict) parts.push(`${before.verdict} -> ${after.verdict}`);
  if (before.encrypted !== after.encrypted) parts.push(`${enc(before.encrypted)} -> ${enc(after.encrypted)}`);
  if (before.decidedBy.component !== after.decidedBy.component || before.decidedBy.name !== after.decidedBy.name) {
    parts.push(`decided by ${decider(before)} -> ${decider(after)}`);
  }
  if (before.policy !== after.policy || before.rule !== after.rule) parts.push(`policy ${policyText(before)} -> ${policyText(after)}`);
  if (parts.length === 0 && before.reason !== after.reason) parts.push(`reason ${before.reason} -> ${after.reason}`);
  return parts.join(', ');
}

/** Counts in a passing outcome: `held over 12 flows`. */
export function passNote(o: ExpectationOutcome): string {
  return o.expectation.kind === 'flow' ? '' : `held over ${count(o.checked)}`;
}

export function decider(r: FlowResult): string {
  return r.decidedBy.name === null ? r.decidedBy.component : `${r.decidedBy.component} ${r.decidedBy.name}`;
}

export function policyText(r: FlowResult): string {
  return r.policy === null ? 'none' : r.rule === null ? r.policy : `${r.policy} rule ${r.rule}`;
}

export function enc(encrypted: boolean): string {
  return encrypted ? 'mTLS' : 'plaintext';
}

function count(n: number): string {
  return n === 1 ? '1 flow' : `${n} flows`;
}

function show(v: string | boolean | null): string {
  return v === null ? 'none' : typeof v === 'boolean' ? String(v) : v;
}
