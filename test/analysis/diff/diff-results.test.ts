import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeKinds, diffResults, sameOutcome } from '../../../src/analysis/diff/diff-results.js';
import type { Decision } from '../../../src/model/decision.js';
import type { FlowResult } from '../../../src/model/result.js';
import { denied, plaintext, result } from '../expect/result-fixtures.js';

describe('diffResults() joins two runs of the same traffic on flow id', () => {
  it('sorts flows into changed, unchanged, added and removed', () => {
    const before = [result('a'), result('b'), result('gone')];
    const after = [result('a'), denied('b', 'payments/deny-all'), result('new')];
    const diff = diffResults(before, after);
    expect(diff.changed.map((c) => [c.id, c.kinds])).toEqual([['b', ['allowed-to-denied', 'policy-changed']]]);
    expect(diff.unchanged).toBe(1);
    expect(diff.added.map((r) => r.id)).toEqual(['new']);
    expect(diff.removed.map((r) => r.id)).toEqual(['gone']);
    expect(diff.counts).toMatchObject({ changed: 1, unchanged: 1, added: 1, removed: 1, allowedToDenied: 1, policyChanged: 1 });
  });

  it('joins on id, not on position', () => {
    const diff = diffResults([result('a'), result('b')], [denied('b', 'ns/p'), result('a')]);
    expect(diff.changed.map((c) => c.id)).toEqual(['b']);
    expect(diff.unchanged).toBe(1);
    expect(diff.added).toEqual([]);
  });

  it('pairs a repeated id by occurrence', () => {
    const diff = diffResults([result('x'), result('x', { encrypted: false })], [result('y'), result('x'), result('x')]);
    expect(diff.changed.map((c) => c.kinds)).toEqual([['plaintext-to-encrypted']]);
    expect(diff.added.map((r) => r.id)).toEqual(['y']);
  });

  it.each<[string, FlowResult, FlowResult, string[]]>([
    ['verdict flips to deny', result('f'), denied('f', 'ns/p'), ['allowed-to-denied', 'policy-changed']],
    ['verdict flips to allow', denied('f', 'ns/p'), result('f'), ['denied-to-allowed', 'policy-changed']],
    ['encryption is lost', result('f'), plaintext('f', { source: 'orders/checkout' }), ['encrypted-to-plaintext']],
    ['the waypoint decides instead', result('f'), result('f', { decidedBy: { component: 'waypoint', name: 'payments/waypoint' } }), ['decision-moved']],
    ['another rule of the same policy decides', result('f', { policy: 'ns/p', rule: 0 }), result('f', { policy: 'ns/p', rule: 1 }), ['policy-changed']],
    ['only the reason differs', result('f'), result('f', { reason: 'allow-policy-matched' }), ['reason-changed']],
    ['nothing differs', result('f'), result('f'), []],
  ])('classifies a flow whose %s', (_name, before, after, kinds) => {
    expect(changeKinds(before, after)).toEqual(kinds);
    expect(sameOutcome(before, after)).toBe(kinds.length === 0);
  });

  it('sameOutcome holds exactly when changeKinds finds nothing, for decisions that share some fields or objects', () => {
    const decidedBy = fc.record({ component: fc.constantFrom('waypoint', 'destination-ztunnel', 'sidecar', 'none'), name: fc.constantFrom(null, 'a/w', 'b/w') });
    const decision = fc.record({
      verdict: fc.constantFrom('allow', 'deny'), encrypted: fc.boolean(), decidedBy,
      policy: fc.constantFrom(null, 'ns/p', 'ns/q'), rule: fc.constantFrom(null, 0, 1), reason: fc.constantFrom('allow-policy-matched', 'no-allow-policy-matched'),
    }) as fc.Arbitrary<Decision>;
    const pair = fc.oneof(fc.tuple(decision, decision), decision.map((d) => [d, d] as const), fc.tuple(decision, decision).map(([a, b]) => [a, { ...b, decidedBy: a.decidedBy }] as const));
    fc.assert(fc.property(pair, ([before, after]) => {
      expect(sameOutcome(before, after)).toBe(changeKinds(before, after).length === 0);
    }), { numRuns: 2000 });
  });

  it('diffs 1,000,000 flows (its speed is measured by bench/diff.ts, not here)', () => {
    const base = result('template');
    const flip = denied('template', 'ns/p');
    const before = Array.from({ length: 1_000_000 }, (_, i) => ({ ...base, id: `flow-${i}` }));
    const after = before.map((r, i) => (i % 100 === 0 ? { ...flip, id: r.id } : r));
    const diff = diffResults(before, after);
    expect(diff.counts.allowedToDenied).toBe(10_000);
    expect(diff.counts.unchanged).toBe(990_000);
  });
});
