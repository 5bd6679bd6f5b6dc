import { changeKinds, COUNTER, type FlowChange, type ResultDiff } from '../analysis/diff/diff-results.js';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { Flow } from '../model/flow.js';
import { Simulator } from './simulator.js';
import { flowEvents } from './timeline.js';


/**
 * The same traffic through two configurations (DESIGN.md "Diff"): every flow is decided by both, in
 * time order, and the two decisions are compared; only the flows whose outcome changed are explained,
 * on both sides. Changes keep the order of the flows. Equal to `diffResults` over two full runs.
 */
export function diffRuns(before: MeshIndex, after: MeshIndex, flows: readonly Flow[]): ResultDiff {
  const left = new Simulator(before, { counters: false });
  const right = new Simulator(after, { counters: false });
  const changedAt: { seq: number; change: FlowChange }[] = [];
  const tally = { allowedToDenied: 0, deniedToAllowed: 0, encryptedToPlaintext: 0, plaintextToEncrypted: 0, decisionMoved: 0, policyChanged: 0, reasonChanged: 0 };
  let unchanged = 0;
  for (const event of flowEvents(flows)) {
    const flow = event.flow;
    const b = left.decide(flow);
    const beforeEvidence = left.lastEvaluation;
    const a = right.decide(flow);
    const kinds = changeKinds(b, a);
    if (kinds.length === 0) {
      unchanged++;
      continue;
    }
    const change = { id: flow.id, before: left.resultOf(flow, beforeEvidence), after: right.resultOf(flow, right.lastEvaluation), kinds };
    changedAt.push({ seq: event.seq, change });
    for (const k of kinds) tally[COUNTER[k]]++;
  }
  changedAt.sort((x, y) => x.seq - y.seq);
  const changed = changedAt.map((c) => c.change);
  return { changed, unchanged, added: [], removed: [], counts: { ...tally, changed: changed.length, unchanged, added: 0, removed: 0 } };
}
