import type { FlowResult } from '../../model/result.js';
import type { EdgeEncryption, EdgeTally, EdgeVerdict } from './traffic-graph.js';

/** The running counts of one edge; its sets grow with distinct values only (ports, deciders, policies). */
export interface TallyCounter {
  flows: number;
  allowed: number;
  denied: number;
  encrypted: number;
  plaintext: number;
  readonly ports: Set<number>;
  readonly waypoints: Set<string>;
  readonly decidedBy: Set<string>;
  readonly policies: Set<string>;
}

export function newTally(): TallyCounter {
  return { flows: 0, allowed: 0, denied: 0, encrypted: 0, plaintext: 0, ports: new Set(), waypoints: new Set(), decidedBy: new Set(), policies: new Set() };
}

/** Counts one result into a tally. */
export function countInto(tally: TallyCounter, result: FlowResult, facts: { readonly port: number | null; readonly waypoints: readonly string[]; readonly decider: string }): void {
  tally.flows++;
  if (result.verdict === 'allow') tally.allowed++;
  else tally.denied++;
  if (result.encrypted) tally.encrypted++;
  else tally.plaintext++;
  if (facts.port !== null) tally.ports.add(facts.port);
  for (const w of facts.waypoints) tally.waypoints.add(w);
  tally.decidedBy.add(facts.decider);
  if (result.policy !== null) tally.policies.add(result.policy);
}

/** The tally as the graph shows it, with its lists sorted. */
export function freezeTally(t: TallyCounter): EdgeTally {
  return {
    flows: t.flows, allowed: t.allowed, denied: t.denied, encrypted: t.encrypted, plaintext: t.plaintext,
    verdict: verdictOf(t.allowed, t.denied), encryption: encryptionOf(t.encrypted, t.plaintext),
    ports: [...t.ports].sort((a, b) => a - b),
    waypoints: [...t.waypoints].sort(compareText),
    decidedBy: [...t.decidedBy].sort(compareText),
    policies: [...t.policies].sort(compareText),
  };
}

/** `mixed` when both counts are above zero. */
export function verdictOf(allowed: number, denied: number): EdgeVerdict {
  return denied === 0 ? 'allowed' : allowed === 0 ? 'denied' : 'mixed';
}

export function encryptionOf(encrypted: number, plaintext: number): EdgeEncryption {
  return plaintext === 0 ? 'mtls' : encrypted === 0 ? 'plaintext' : 'mixed';
}

/** Code-unit order, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
