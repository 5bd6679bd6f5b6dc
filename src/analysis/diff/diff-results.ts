import type { Decision } from '../../model/decision.js';
import type { FlowResult } from '../../model/result.js';
import type { ChangeKind, FlowChange, DiffCounts, ResultDiff } from '../../model/diff.js';
export type { ChangeKind, FlowChange, DiffCounts, ResultDiff } from '../../model/diff.js';

/**
 * Joins two result lists on flow id and classifies every flow as changed, unchanged, added or removed.
 * Results at the same position with the same id pair directly (the usual case: the same flows run
 * twice); the rest are joined through an index, a repeated id paired by occurrence. Linear time.
 */
export function diffResults(before: readonly FlowResult[], after: readonly FlowResult[]): ResultDiff {
  const paired = new Uint8Array(after.length);
  const partner = new Int32Array(before.length).fill(-1);
  const common = Math.min(before.length, after.length);
  let unmatched = false;
  for (let i = 0; i < common; i++) {
    if ((before[i] as FlowResult).id === (after[i] as FlowResult).id) {
      partner[i] = i;
      paired[i] = 1;
    } else unmatched = true;
  }
  if (unmatched || before.length !== after.length) joinRest(before, after, partner, paired);
  const changed: FlowChange[] = [];
  const removed: FlowResult[] = [];
  const tally = { allowedToDenied: 0, deniedToAllowed: 0, encryptedToPlaintext: 0, plaintextToEncrypted: 0, decisionMoved: 0, policyChanged: 0, reasonChanged: 0 };
  let unchanged = 0;
  for (let i = 0; i < before.length; i++) {
    const b = before[i] as FlowResult;
    const j = partner[i] as number;
    if (j < 0) {
      removed.push(b);
      continue;
    }
    const a = after[j] as FlowResult;
    if (sameOutcome(b, a)) {
      unchanged++;
      continue;
    }
    const kinds = changeKinds(b, a);
    changed.push({ id: b.id, before: b, after: a, kinds });
    for (const k of kinds) tally[COUNTER[k]]++;
  }
  const added = after.filter((_, j) => paired[j] === 0);
  return {
    changed, unchanged, added, removed,
    counts: { ...tally, changed: changed.length, unchanged, added: added.length, removed: removed.length },
  };
}

/** Pairs the results the positional pass left, through an index of the unpaired "after" ids. */
function joinRest(before: readonly FlowResult[], after: readonly FlowResult[], partner: Int32Array, paired: Uint8Array): void {
  const first = new Map<string, number>();
  const repeats = new Map<string, number[]>();
  for (let j = 0; j < after.length; j++) {
    if (paired[j] === 1) continue;
    const id = (after[j] as FlowResult).id;
    if (first.get(id) === undefined) first.set(id, j);
    else {
      const list = repeats.get(id);
      if (list) list.push(j);
      else repeats.set(id, [j]);
    }
  }
  for (let i = 0; i < before.length; i++) {
    if ((partner[i] as number) >= 0) continue;
    const id = (before[i] as FlowResult).id;
    const f = first.get(id);
    const j = f !== undefined && paired[f] === 0 ? f : f === undefined ? undefined : repeats.get(id)?.shift();
    if (j === undefined) continue;
    partner[i] = j;
    paired[j] = 1;
  }
}

/** The count each kind of change adds to. */
export const COUNTER: Record<ChangeKind, keyof Omit<DiffCounts, 'changed' | 'unchanged' | 'added' | 'removed'>> = {
  'allowed-to-denied': 'allowedToDenied',
  'denied-to-allowed': 'deniedToAllowed',
  'encrypted-to-plaintext': 'encryptedToPlaintext',
  'plaintext-to-encrypted': 'plaintextToEncrypted',
  'decision-moved': 'decisionMoved',
  'policy-changed': 'policyChanged',
  'reason-changed': 'reasonChanged',
};

/**
 * Whether two decisions (or results) have the same outcome: `changeKinds` would find nothing. Decisions
 * are shared objects, so the same object, or the same deciding component, is settled by identity.
 */
export function sameOutcome(before: Decision, after: Decision): boolean {
  if (before === after) return true;
  const b = before.decidedBy;
  const a = after.decidedBy;
  return before.verdict === after.verdict && before.encrypted === after.encrypted && (b === a || (b.component === a.component && b.name === a.name))
    && before.policy === after.policy && before.rule === after.rule && before.reason === after.reason;
}

/** The ways `after` differs from `before` (two results, or two decisions); empty when the outcome is the same. */
export function changeKinds(before: Decision, after: Decision): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  if (before.verdict !== after.verdict) kinds.push(before.verdict === 'allow' ? 'allowed-to-denied' : 'denied-to-allowed');
  if (before.encrypted !== after.encrypted) kinds.push(before.encrypted ? 'encrypted-to-plaintext' : 'plaintext-to-encrypted');
  if (before.decidedBy.component !== after.decidedBy.component || before.decidedBy.name !== after.decidedBy.name) kinds.push('decision-moved');
  if (before.policy !== after.policy || before.rule !== after.rule) kinds.push('policy-changed');
  if (kinds.length === 0 && before.reason !== after.reason) kinds.push('reason-changed');
  return kinds;
}
