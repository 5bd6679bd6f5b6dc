import type { Decision } from '../../src/model/decision.js';

/** The fields a Decision shares with a FlowResult, as a plain object to compare. */
export function decisionFields(d: Decision): Decision {
  return { verdict: d.verdict, encrypted: d.encrypted, decidedBy: d.decidedBy, policy: d.policy, rule: d.rule, reason: d.reason };
}
