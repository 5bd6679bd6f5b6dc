import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { prepareMesh } from '../../src/index.js';
import type { Cluster } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';
import { clusterArbitrary, flowArbitrary } from '../support/arbitraries.js';

const RUNS = 150;
const flows = fc.array(flowArbitrary, { minLength: 1, maxLength: 8 });

function verdicts(c: Cluster, fs: readonly Flow[]) {
  const index = prepareMesh(c);
  return fs.map((f) => evaluateFlow(f, index).result);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Properties of the engine; relations between two runs (DENY monotonicity, dry-run, renaming, ...) are in metamorphic.test.ts. */
describe('engine properties over generated clusters and flows', () => {
  it('never throws and is deterministic', () => {
    fc.assert(fc.property(clusterArbitrary(), flows, (c, fs) => {
      expect(verdicts(c, fs)).toEqual(verdicts(c, fs));
    }), { numRuns: RUNS });
  });

  it('the order of objects in the input does not matter', () => {
    fc.assert(fc.property(clusterArbitrary(), flows, fc.integer({ min: 1, max: 1e6 }), (c, fs, seed) => {
      const reordered: Cluster = {
        ...c,
        pods: shuffled(c.pods, seed), services: shuffled(c.services, seed + 1), namespaces: shuffled(c.namespaces, seed + 2),
        authorizationPolicies: shuffled(c.authorizationPolicies, seed + 3), peerAuthentications: shuffled(c.peerAuthentications, seed + 4),
      };
      expect(verdicts(reordered, fs).map((r) => [r.verdict, r.encrypted, r.decidedBy])).toEqual(verdicts(c, fs).map((r) => [r.verdict, r.encrypted, r.decidedBy]));
    }), { numRuns: RUNS });
  });

  it('with no policies and no STRICT, nothing is denied by policy', () => {
    fc.assert(fc.property(clusterArbitrary({ policies: false, peerAuthentications: false }), flows, (c, fs) => {
      for (const r of verdicts(c, fs)) {
        // Besides policy, only what the network cannot deliver denies (service-delivery.ts).
        const undeliverable = ['unknown-source', 'unknown-destination', 'service-has-no-endpoints', 'service-port-protocol-undeclared', 'service-target-port-undeclared'];
        if (r.verdict === 'deny') expect(undeliverable).toContain(r.reason);
      }
    }), { numRuns: RUNS });
  });

  it('every allowed flow is encrypted exactly when all of its hops are HBONE', () => {
    fc.assert(fc.property(clusterArbitrary(), flows, (c, fs) => {
      for (const r of verdicts(c, fs)) expect(r.encrypted).toBe(r.hops.length > 0 && r.hops.every((h) => h.transport === 'hbone'));
    }), { numRuns: RUNS });
  });
});
