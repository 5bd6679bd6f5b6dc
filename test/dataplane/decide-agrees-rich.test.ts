import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VerdictPath } from '../../src/dataplane/decide.js';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { flowsOver } from '../../src/generate/index.js';
import { prepareMesh } from '../../src/index.js';
import { decisionFields } from '../support/decision-fields.js';
import { richCluster, richVariants as variants } from '../support/rich-cluster.js';

describe('decide() agrees with the evidence evaluator over clusters with every branch of the verdict path', () => {
  it('host-network and IPv6 pods, replicas, named target ports, waypoints for all traffic and for pods, dry-run, IPv6 CIDRs, hosts and when rules', () => {
    let flows = 0;
    const reasons = new Set<string>();
    fc.assert(fc.property(richCluster, fc.integer({ min: 1, max: 2 ** 30 }), (cluster, seed) => {
      const index = prepareMesh(cluster);
      const path = new VerdictPath(index);
      const all = fc.sample(flowsOver(index, { loopback: true, undeclaredPorts: true }), { numRuns: 150, seed }).flatMap(variants);
      const twice = [...all, ...all];
      flows += twice.length;
      for (const f of all) reasons.add(path.decide(f).reason);
      const differing = twice.filter((f) => JSON.stringify(decisionFields(path.decide(f))) !== JSON.stringify(decisionFields(evaluateFlow(f, index).result)));
      expect(differing.map((f) => ({ flow: f, decide: decisionFields(path.decide(f)), explain: decisionFields(evaluateFlow(f, index).result) }))).toEqual([]);
    }), { numRuns: 150 });
    expect(flows).toBeGreaterThan(100_000);
    // The clusters reach the branches they are built for.
    for (const r of ['not-captured-same-node-host', 'not-captured-loopback', 'l7-undecidable', 'allow-policy-matched', 'deny-policy-matched', 'no-allow-policy-matched', 'strict-mtls-plaintext-denied']) {
      expect(reasons).toContain(r);
    }
  });
});
