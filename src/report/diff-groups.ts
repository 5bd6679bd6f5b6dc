import type { ChangeKind, FlowChange, ResultDiff } from '../model/diff.js';
import type { FlowResult } from '../model/result.js';
import { stepText } from './reason-text.js';

/** Headings of the change groups, in the order reports show them. */
export const GROUP_TITLES: Readonly<Record<ChangeKind, string>> = {
  'allowed-to-denied': 'allowed → denied',
  'denied-to-allowed': 'denied → allowed',
  'encrypted-to-plaintext': 'encrypted → plaintext',
  'plaintext-to-encrypted': 'plaintext → encrypted',
  'decision-moved': 'decision moved to another component',
  'policy-changed': 'deciding policy changed',
  'reason-changed': 'same outcome, another reason',
};

const ORDER = Object.keys(GROUP_TITLES) as ChangeKind[];

/** Extra facts a diff report shows beside the diff itself. */
export interface DiffContext {
  /** What the what-if steps changed, when the "after" configuration came from them. */
  readonly notes?: readonly string[];
}

/**
 * Changed flows grouped by their most important change (verdict, then encryption, then deciding
 * component, policy, reason); each flow appears once, under its first kind.
 */
export function groupChanges(diff: ResultDiff): { kind: ChangeKind; changes: FlowChange[] }[] {
  const groups = new Map<ChangeKind, FlowChange[]>();
  for (const c of diff.changed) {
    const kind = c.kinds[0] as ChangeKind;
    const list = groups.get(kind);
    if (list) list.push(c);
    else groups.set(kind, [c]);
  }
  return ORDER.flatMap((kind) => (groups.has(kind) ? [{ kind, changes: groups.get(kind) as FlowChange[] }] : []));
}

/** The sentence for a result's deciding step (`denied by DENY policy ns/x rule 0`). */
export function decisionText(r: FlowResult): string {
  for (let i = r.steps.length - 1; i >= 0; i--) {
    const step = r.steps[i];
    if (step && step.effect !== 'info') return stepText(step);
  }
  return r.reason;
}

/** `ALLOW mTLS` or `DENY plaintext`. */
export function outcomeText(r: FlowResult): string {
  return `${r.verdict.toUpperCase()} ${r.encrypted ? 'mTLS' : 'plaintext'}`;
}
