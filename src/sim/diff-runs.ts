import { changeKinds, COUNTER, sameOutcome, type FlowChange, type ResultDiff } from '../analysis/diff/diff-results.js';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { Flow } from '../model/flow.js';
import { Simulator } from './simulator.js';
import { flowEvents } from './timeline.js';

/**
 * One diff (DESIGN.md "Diff"), fed a flow at a time: each flow is decided by both configurations and
 * the two decisions are compared; only the flows whose outcome changed are explained, on both sides,
 * and kept. Memory holds the changes, never the unchanged flows, so a flows file of any length can be
 * diffed as it is read. Decisions do not depend on the order flows arrive in (components keep counters
 * only); changes are listed in the order flows were added.
 */
export class DiffRun {
  private readonly left: Simulator;
  private readonly right: Simulator;
  private readonly changedAt: { seq: number; change: FlowChange }[] = [];
  private readonly tally = { allowedToDenied: 0, deniedToAllowed: 0, encryptedToPlaintext: 0, plaintextToEncrypted: 0, decisionMoved: 0, policyChanged: 0, reasonChanged: 0 };
  private unchanged = 0;
  private added = 0;

  constructor(before: MeshIndex, after: MeshIndex) {
    this.left = new Simulator(before, { counters: false });
    this.right = new Simulator(after, { counters: false });
  }

  /** Decides a flow on both sides; `seq` orders the changes (default: the order flows are added). */
  add(flow: Flow, seq = this.added): void {
    this.added++;
    const b = this.left.decide(flow);
    const beforeEvidence = this.left.lastEvaluation;
    const a = this.right.decide(flow);
    if (sameOutcome(b, a)) {
      this.unchanged++;
      return;
    }
    const kinds = changeKinds(b, a);
    const change = { id: flow.id, before: this.left.resultOf(flow, beforeEvidence), after: this.right.resultOf(flow, this.right.lastEvaluation), kinds };
    this.changedAt.push({ seq, change });
    for (const k of kinds) this.tally[COUNTER[k]]++;
  }

  /** The diff of every flow added: the same traffic twice, so nothing is added or removed. */
  finish(): ResultDiff {
    const changed = this.changedAt.sort((x, y) => x.seq - y.seq).map((c) => c.change);
    const unchanged = this.unchanged;
    return { changed, unchanged, added: [], removed: [], counts: { ...this.tally, changed: changed.length, unchanged, added: 0, removed: 0 } };
  }
}

/**
 * The same traffic through two configurations, in time order, joined on the flow: equal to
 * `diffResults` over two full runs, with only the changed flows explained.
 */
export function diffRuns(before: MeshIndex, after: MeshIndex, flows: readonly Flow[]): ResultDiff {
  const run = new DiffRun(before, after);
  for (const event of flowEvents(flows)) run.add(event.flow, event.seq);
  return run.finish();
}
