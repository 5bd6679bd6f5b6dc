import type { FlowResult, Hop } from '../../../src/model/result.js';
import type { SourceRef } from '../../../src/model/source.js';

/** Test fixtures: FlowResult values built by hand, without the engine. */

export const AT: SourceRef = { file: 'scenario.yaml', document: 0, line: 1 };

const ZTUNNEL = { component: 'destination-ztunnel', name: 'node-1' } as const;

/** An allowed, encrypted flow decided by the destination ztunnel with no ALLOW policy in scope. */
export function result(id: string, overrides: Partial<FlowResult> = {}): FlowResult {
  const source = overrides.source ?? 'orders/checkout';
  const to = (overrides.destination ?? 'payments/api:80').replace(/:\d+$/, '');
  const hops: Hop[] = [{ from: source, to: `${to.split('/')[0]}/api-0`, transport: 'hbone', peerIdentity: `spiffe://cluster.local/ns/${source.split('/')[0]}/sa/default` }];
  return {
    id, source, destination: 'payments/api:80', verdict: 'allow', encrypted: true, decidedBy: ZTUNNEL,
    policy: null, rule: null, reason: 'no-allow-policies', hops,
    steps: [{ at: 'destination-ztunnel node-1', code: 'no-allow-policies', effect: 'allow' }],
    ...overrides,
  };
}

/** A flow denied by a DENY policy at the destination ztunnel. */
export function denied(id: string, policy: string, overrides: Partial<FlowResult> = {}): FlowResult {
  return result(id, {
    verdict: 'deny', policy, rule: 0, reason: 'deny-policy-matched',
    steps: [{ at: 'destination-ztunnel node-1', code: 'deny-policy-matched', effect: 'deny', policy, rule: 0 }],
    ...overrides,
  });
}

/** An allowed flow from outside the mesh: one plaintext hop into the pod. */
export function plaintext(id: string, overrides: Partial<FlowResult> = {}): FlowResult {
  const source = overrides.source ?? '203.0.113.9';
  return result(id, {
    source, encrypted: false,
    hops: [{ from: source, to: 'payments/api-0', transport: 'plaintext', peerIdentity: null }],
    ...overrides,
  });
}
