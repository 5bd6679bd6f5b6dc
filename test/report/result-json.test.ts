import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterWithPolicies, flowsOver } from '../../src/generate/index.js';
import { prepareMesh, simulate } from '../../src/index.js';
import type { Flow } from '../../src/model/flow.js';
import type { FlowResult } from '../../src/model/result.js';
import { resultJson } from '../../src/report/result-json.js';
import { richCluster, richVariants } from '../support/rich-cluster.js';

/** Flows as recordings give them too: with where they came from, and with application TLS. */
function recorded(flow: Flow, i: number): Flow[] {
  const origin = { kind: 'capture' as const, source: { file: 'a "quoted"\nname.pcap', document: 0, line: 1 }, packet: i, note: 'server inferred from the listening port' };
  return [flow, { ...flow, id: `${flow.id}-rec`, origin }, { ...flow, id: `${flow.id}-tls`, appTls: i % 2 === 0 ? { sni: 'x.example' } : {} }];
}

function mismatches(results: readonly FlowResult[]): { expected: string; actual: string }[] {
  return results.map((r) => ({ expected: JSON.stringify(r), actual: resultJson(r) })).filter((m) => m.expected !== m.actual);
}

describe('resultJson writes a result byte for byte as JSON.stringify does', () => {
  it('for every result of simulations over generated clusters, recorded and not', () => {
    let results = 0;
    fc.assert(fc.property(fc.oneof(clusterWithPolicies(), richCluster), fc.integer({ min: 1, max: 2 ** 30 }), (cluster, seed) => {
      const index = prepareMesh(cluster);
      const flows = fc.sample(flowsOver(index, { loopback: true, undeclaredPorts: true }), { numRuns: 60, seed }).flatMap(richVariants).flatMap(recorded);
      // Twice: the second time, shared steps are written from their remembered JSON.
      const report = simulate(index, [...flows, ...flows]);
      results += report.results.length;
      expect(mismatches(report.results)).toEqual([]);
    }), { numRuns: 100 });
    expect(results).toBeGreaterThan(50_000);
  });

  it('for names with quotes, backslashes, control characters and lone surrogates', () => {
    const result: FlowResult = {
      id: 'a"b\\c\n\u0000\u001b[31m\ud800', source: 'ns/\u2028x', destination: 'ns/y:80', verdict: 'deny', encrypted: false,
      decidedBy: { component: 'none', name: null }, policy: null, rule: null, reason: 'unknown-source',
      hops: [], steps: [{ at: 'network', code: 'unknown-source', effect: 'deny', detail: { source: '\ud83d' } }],
    };
    expect(resultJson(result)).toBe(JSON.stringify(result));
  });
});
