import { describe, expect, it } from 'vitest';
import { diffResults } from '../../../src/analysis/diff/diff-results.js';
import { diffGraph } from '../../../src/report/graph/diff-graph.js';
import { DIFF } from '../diff-fixtures.js';
import { denied, result } from '../../analysis/expect/result-fixtures.js';

describe('diffGraph() joins the edges of the flows that differ, before and after', () => {
  const graph = diffGraph(DIFF);
  const edge = (id: string) => graph.edges.find((e) => e.id === id);

  it('marks an edge changed when a flow on it changed verdict, with both sides\' tallies', () => {
    const e = edge('workload:orders/checkout -> service:payments/api');
    expect(e).toMatchObject({ change: 'changed', allowedToDenied: 1, deniedToAllowed: 0 });
    // checkout-pays and reports-read changed, dropped-flow only before, the new flow only after.
    expect(e?.before).toMatchObject({ flows: 3, allowed: 3, verdict: 'allowed' });
    expect(e?.after).toMatchObject({ flows: 3, denied: 1, verdict: 'mixed', waypoints: ['waypoint:payments/waypoint'] });
  });

  it('counts each kind of verdict and encryption change on its edge', () => {
    expect(edge('address:198.51.100.7 -> service:payments/api')).toMatchObject({ change: 'changed', deniedToAllowed: 1 });
    expect(edge('workload:legacy/batch -> service:payments/api')).toMatchObject({ change: 'changed', encryptedToPlaintext: 1, before: { encryption: 'mtls' }, after: { encryption: 'plaintext' } });
    expect(edge('workload:monitoring/prometheus -> service:payments/api')).toMatchObject({ change: 'changed', plaintextToEncrypted: 1 });
    const sum = graph.edges.reduce((n, e) => n + e.allowedToDenied + e.deniedToAllowed + e.encryptedToPlaintext + e.plaintextToEncrypted, 0);
    expect(sum).toBe(DIFF.counts.allowedToDenied + DIFF.counts.deniedToAllowed + DIFF.counts.encryptedToPlaintext + DIFF.counts.plaintextToEncrypted);
  });

  it('leaves unchanged flows out, and has every node an edge names', () => {
    const flows = graph.edges.reduce((n, e) => n + (e.before?.flows ?? 0), 0);
    expect(flows).toBe(DIFF.changed.length + DIFF.removed.length);
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const e of graph.edges) expect([ids.has(e.source), ids.has(e.target)]).toEqual([true, true]);
    expect(ids.has('waypoint:payments/waypoint')).toBe(true);
  });

  it('says added, removed or other for edges whose flows did not change verdict or encryption', () => {
    const g = diffGraph(diffResults(
      [result('moved', { source: 'shop/web' }), result('gone', { source: 'old/job' })],
      [denied('moved', 'p/q', { source: 'shop/web', verdict: 'allow' }), result('new', { source: 'new/job' })],
    ));
    expect(g.edges.map((e) => [e.source, e.change])).toEqual([
      ['workload:new/job', 'added'], ['workload:old/job', 'removed'], ['workload:shop/web', 'other'],
    ]);
    expect(g.edges.find((e) => e.change === 'added')?.before).toBeNull();
    expect(g.edges.find((e) => e.change === 'removed')?.after).toBeNull();
  });

  it('is empty when nothing differs', () => {
    expect(diffGraph(diffResults([result('a')], [result('a')]))).toEqual({ nodes: [], edges: [], namespaces: [], k8sNodes: [] });
  });
});
