import { changeKinds, COUNTER, sameOutcome, type FlowChange, type ResultDiff } from '../analysis/diff/diff-results.js';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { Decision } from '../model/decision.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import { Simulator } from './simulator.js';
import { flowEvents } from './timeline.js';

/** A changed flow whose result after the change is still owed (see `DiffRun.addDecided`). */
interface PendingChange {
  readonly seq: number;
  readonly change: { id: string; before: FlowResult; after: FlowResult | undefined; kinds: FlowChange['kinds'] };
}

/**
 * One diff (DESIGN.md "Diff"), fed a flow at a time: each flow is decided by both configurations and
 * the two decisions are compared; only the flows whose outcome changed are explained, on both sides,
 * and kept. Memory holds the changes, never the unchanged flows, so a flows file of any length can be
 * diffed as it is read. Decisions do not depend on the order flows arrive in (components keep counters
 * only); changes are listed in the order flows were added.
 *
 * The side after the change may also be decided elsewhere (another thread reading the same flows):
 * `addDecided` takes its decision, and `settle` its results for the flows that changed.
 */
export class DiffRun {
  private readonly left: Simulator;
  private readonly right: Simulator | undefined;
  private readonly changedAt: PendingChange[] = [];
  private readonly tally = { allowedToDenied: 0, deniedToAllowed: 0, encryptedToPlaintext: 0, plaintextToEncrypted: 0, decisionMoved: 0, policyChanged: 0, reasonChanged: 0 };
  private unchanged = 0;
  private added = 0;
  /** Changes still waiting for their result after the change. */
  private owed = 0;

  /** `after` undefined: the side after is decided elsewhere, and flows come through `addDecided`. */
  constructor(before: MeshIndex, after?: MeshIndex) {
    this.left = new Simulator(before, { counters: false });
    this.right = after === undefined ? undefined : new Simulator(after, { counters: false });
  }

  /** Decides a flow on both sides; `seq` orders the changes (default: the order flows are added). */
  add(flow: Flow, seq = this.added): void {
    const right = this.right;
    if (right === undefined) throw new Error('DiffRun.add needs the configuration after the change');
    const a = right.decide(flow);
    const afterEvidence = right.lastEvaluation;
    if (this.addDecided(flow, a, seq)) this.settleLast(right.resultOf(flow, afterEvidence));
  }

  /**
   * Decides a flow on the side before and compares it with `after`, the decision of the side after
   * for the same flow. Returns whether the outcome changed: then the flow's result after the change is
   * owed, to be handed to `settle` (results in the order the changed flows were added).
   */
  addDecided(flow: Flow, after: Decision, seq = this.added): boolean {
    this.added++;
    const b = this.left.decide(flow);
    if (sameOutcome(b, after)) {
      this.unchanged++;
      return false;
    }
    const kinds = changeKinds(b, after);
    this.changedAt.push({ seq, change: { id: flow.id, before: this.left.resultOf(flow, this.left.lastEvaluation), after: undefined, kinds } });
    for (const k of kinds) this.tally[COUNTER[k]]++;
    this.owed++;
    return true;
  }

  /** The results after the change of the flows `addDecided` found changed and not yet settled, in their order. */
  settle(afters: readonly FlowResult[]): void {
    if (afters.length !== this.owed) throw new Error(`DiffRun.settle: ${afters.length} results for ${this.owed} changed flows`);
    const from = this.changedAt.length - this.owed;
    for (let i = 0; i < afters.length; i++) (this.changedAt[from + i] as PendingChange).change.after = afters[i] as FlowResult;
    this.owed = 0;
  }

  private settleLast(after: FlowResult): void {
    (this.changedAt[this.changedAt.length - 1] as PendingChange).change.after = after;
    this.owed = 0;
  }

  /** The diff of every flow added: the same traffic twice, so nothing is added or removed. */
  finish(): ResultDiff {
    if (this.owed > 0) throw new Error(`DiffRun.finish: ${this.owed} changed flows have no result after the change`);
    const changed = this.changedAt.sort((x, y) => x.seq - y.seq).map((c) => c.change as FlowChange);
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
