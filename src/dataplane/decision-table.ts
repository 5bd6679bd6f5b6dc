import type { CheckpointOutcome, Decision } from '../model/decision.js';
import type { ReasonCode } from '../model/reason.js';
import type { DecidingComponent, Verdict } from '../model/result.js';

type Pair = [Decision | undefined, Decision | undefined];

/**
 * Shares Decision objects: one per (outcome, deciding component and name, encryption), so the
 * verdict path hands out the same object for every flow with the same outcome and allocates nothing.
 */
export class DecisionTable {
  private readonly byComponent: Record<DecidingComponent, Map<CheckpointOutcome, Map<string, Pair>>> = {
    waypoint: new Map(), 'destination-ztunnel': new Map(), sidecar: new Map(), none: new Map(),
  };
  private readonly outcomes = new Map<ReasonCode, Map<string | null, Map<number | null, [CheckpointOutcome | undefined, CheckpointOutcome | undefined]>>>();
  private readonly terminals = { allow: new Map<ReasonCode, CheckpointOutcome>(), deny: new Map<ReasonCode, CheckpointOutcome>() };

  /** The decision an enforcement point (or, with `none`, the network) made. */
  get(outcome: CheckpointOutcome, component: DecidingComponent, name: string | null, encrypted: boolean): Decision {
    const byOutcome = this.byComponent[component];
    let byName = byOutcome.get(outcome);
    if (byName === undefined) byOutcome.set(outcome, (byName = new Map()));
    const key = name ?? '';
    let pair = byName.get(key);
    if (pair === undefined) byName.set(key, (pair = [undefined, undefined]));
    const slot = encrypted ? 1 : 0;
    let d = pair[slot];
    if (d === undefined) {
      d = { verdict: outcome.verdict, encrypted, decidedBy: { component, name }, policy: outcome.policy, rule: outcome.rule, reason: outcome.reason };
      pair[slot] = d;
    }
    return d;
  }

  /** The one outcome object for these fields (outcomes come from the mesh's policies and reason codes: a bounded set). */
  outcome(verdict: Verdict, reason: ReasonCode, policy: string | null, rule: number | null): CheckpointOutcome {
    let byPolicy = this.outcomes.get(reason);
    if (byPolicy === undefined) this.outcomes.set(reason, (byPolicy = new Map()));
    let byRule = byPolicy.get(policy);
    if (byRule === undefined) byPolicy.set(policy, (byRule = new Map()));
    let pair = byRule.get(rule);
    if (pair === undefined) byRule.set(rule, (pair = [undefined, undefined]));
    const slot = verdict === 'allow' ? 0 : 1;
    let o = pair[slot];
    if (o === undefined) pair[slot] = o = { verdict, reason, policy, rule };
    return o;
  }

  /** An outcome decided before any enforcement point (unknown endpoints, traffic not captured, no policy on the path). */
  terminal(verdict: Verdict, reason: ReasonCode, encrypted: boolean): Decision {
    const map = this.terminals[verdict];
    let outcome = map.get(reason);
    if (outcome === undefined) map.set(reason, (outcome = { verdict, reason, policy: null, rule: null }));
    return this.get(outcome, 'none', null, encrypted);
  }
}
