import { describe, expect, it } from 'vitest';
import { diffResults } from '../../../src/analysis/diff/diff-results.js';
import { evaluateExpectations } from '../../../src/analysis/expect/evaluate-expectations.js';
import type { ExpectContext } from '../../../src/analysis/expect/expect-context.js';
import type { Expectation } from '../../../src/model/scenario.js';
import { AT, denied, plaintext, result } from './result-fixtures.js';

const context: ExpectContext = {
  serviceEndpoints: (ref) => (ref === 'payments/api' ? ['payments/api-0'] : undefined),
  controllerOf: (uid) => ({ 'orders/checkout-7f9c': 'orders/checkout', 'payments/api-0': 'payments/api' } as Record<string, string>)[uid],
  podOf: (ref) => ({ 'orders/checkout': 'orders/checkout-7f9c', 'orders/checkout-7f9c': 'orders/checkout-7f9c' } as Record<string, string>)[ref],
};

describe('evaluateExpectations() checks flow expectations field by field', () => {
  const results = [result('pays', { decidedBy: { component: 'waypoint', name: 'payments/waypoint' }, policy: 'payments/allow-orders', rule: 0, reason: 'allow-policy-matched' })];

  it.each<[string, Partial<Extract<Expectation, { kind: 'flow' }>>, boolean]>([
    ['verdict', { verdict: 'allow' }, true],
    ['a wrong verdict', { verdict: 'deny' }, false],
    ['encryption', { encrypted: true }, true],
    ['the deciding component', { decidedBy: 'waypoint' }, true],
    ['the deciding component by name', { decidedBy: 'payments/waypoint' }, true],
    ['component and name together', { decidedBy: 'waypoint payments/waypoint' }, true],
    ['another component', { decidedBy: 'destination-ztunnel' }, false],
    ['the policy', { policy: 'payments/allow-orders' }, true],
    ['no policy where one decided', { policy: null }, false],
    ['the reason code', { reason: 'allow-policy-matched' }, true],
  ])('passes or fails on %s', (_name, checks, passed) => {
    const [outcome] = evaluateExpectations([{ kind: 'flow', flow: 'pays', source: AT, ...checks }], results);
    expect(outcome?.passed).toBe(passed);
  });

  it('names every field that differs, with expected and actual values', () => {
    const [outcome] = evaluateExpectations([{ kind: 'flow', flow: 'pays', verdict: 'deny', encrypted: false, source: AT }], results);
    expect(outcome?.failure).toMatchObject({
      kind: 'flow-mismatch',
      mismatches: [{ field: 'verdict', expected: 'deny', actual: 'allow' }, { field: 'encrypted', expected: false, actual: true }],
    });
  });

  it('fails an expectation about a flow id that is not in the traffic', () => {
    const [outcome] = evaluateExpectations([{ kind: 'flow', flow: 'nope', verdict: 'allow', source: AT }], results);
    expect(outcome?.failure).toEqual({ kind: 'flow-missing', flow: 'nope' });
  });
});

describe('evaluateExpectations() checks invariants over every flow', () => {
  it('noPlaintextInto fails on an allowed plaintext hop into the namespace, smallest counterexample first', () => {
    const results = [
      result('mtls'),
      plaintext('legacy-client-long-id'),
      plaintext('probe', { hops: [{ from: '203.0.113.9', to: 'payments/api-0', transport: 'plaintext', peerIdentity: null }] }),
      denied('blocked', 'istio-system/istio_converted_static_strict', { encrypted: false, hops: [{ from: '203.0.113.9', to: 'payments/api-0', transport: 'plaintext', peerIdentity: null }] }),
    ];
    const [outcome] = evaluateExpectations([{ kind: 'noPlaintextInto', namespace: 'payments', source: AT }], results);
    expect(outcome?.passed).toBe(false);
    expect(outcome?.failure?.kind === 'plaintext-into' && outcome.failure.counterexamples.map((r) => r.id)).toEqual(['probe', 'legacy-client-long-id']);
  });

  it('noPlaintextInto holds when plaintext only goes to other namespaces', () => {
    const results = [plaintext('elsewhere', { hops: [{ from: '203.0.113.9', to: 'legacy/db-0', transport: 'plaintext', peerIdentity: null }] })];
    expect(evaluateExpectations([{ kind: 'noPlaintextInto', namespace: 'payments', source: AT }], results)[0]?.passed).toBe(true);
  });

  it('onlyReachable accepts the listed sources by controller or pod name and reports any other allowed one', () => {
    const results = [
      result('by-controller', { source: 'orders/checkout' }),
      result('by-pod', { source: 'orders/checkout-7f9c' }),
      denied('denied-other', 'payments/deny', { source: 'frontend/web' }),
      result('other', { source: 'frontend/web' }),
      result('pod-ip', { source: 'legacy/batch', destination: '10.0.0.7:8080', hops: [{ from: 'legacy/batch', to: 'payments/api-0', transport: 'hbone', peerIdentity: null }] }),
      result('elsewhere', { source: 'frontend/web', destination: 'orders/cart:80', hops: [{ from: 'frontend/web', to: 'orders/cart-0', transport: 'hbone', peerIdentity: null }] }),
    ];
    const [outcome] = evaluateExpectations([{ kind: 'onlyReachable', to: 'payments/api', from: ['orders/checkout'], source: AT }], results, { context });
    expect(outcome?.failure?.kind === 'reachable-from-others' && outcome.failure.counterexamples.map((r) => r.id)).toEqual(['other', 'pod-ip']);
  });

  it('onlyReachable takes ns/* for any workload of a namespace', () => {
    const results = [result('a', { source: 'orders/checkout' }), result('b', { source: 'orders/cart' })];
    expect(evaluateExpectations([{ kind: 'onlyReachable', to: 'payments/api', from: ['orders/*'], source: AT }], results, { context })[0]?.passed).toBe(true);
  });
});

describe('evaluateExpectations() checks changes against the what-if diff', () => {
  const before = [result('a'), result('b'), plaintext('c')];
  const after = [denied('a', 'payments/deny'), result('b'), plaintext('c')];
  const diff = diffResults(before, after);

  it.each<[string, Extract<Expectation, { kind: 'changes' }>['counts'], boolean]>([
    ['none when one flow is denied', 'none', false],
    ['the exact count of allowed→denied', { allowedToDenied: 1 }, true],
    ['a wrong count', { allowedToDenied: 0 }, false],
    ['a count of another kind only', { encryptedToPlaintext: 0 }, true],
  ])('evaluates %s', (_name, counts, passed) => {
    expect(evaluateExpectations([{ kind: 'changes', counts, source: AT }], after, { diff })[0]?.passed).toBe(passed);
  });

  it('reports the changed flows of the failing count', () => {
    const [outcome] = evaluateExpectations([{ kind: 'changes', counts: 'none', source: AT }], after, { diff });
    expect(outcome?.failure?.kind === 'changes-differ' && outcome.failure.changes.map((c) => c.id)).toEqual(['a']);
  });

  it('fails changes without a what-if to compare with', () => {
    expect(evaluateExpectations([{ kind: 'changes', counts: 'none', source: AT }], after)[0]?.failure).toEqual({ kind: 'changes-without-what-if' });
  });
});

describe('evaluateExpectations() fails an invariant that names what the mesh does not have, instead of holding vacuously', () => {
  const names: ExpectContext = {
    ...context,
    names: {
      hasNamespace: (ns) => ['orders', 'payments'].includes(ns),
      hasService: (ref) => ref === 'payments/api',
      hasWorkload: (ref) => ['orders/checkout', 'orders/checkout-7f9c'].includes(ref),
    },
  };
  const results = [result('pays')];

  it.each<[string, Expectation, unknown[]]>([
    ['a namespace with no workload or Service', { kind: 'noPlaintextInto', namespace: 'paymnts', source: AT }, [{ field: 'namespace', ref: 'paymnts' }]],
    ['a target that is no Service or workload', { kind: 'onlyReachable', to: 'payments/apii', from: ['orders/checkout'], source: AT }, [{ field: 'to', ref: 'payments/apii' }]],
    ['sources that name nothing', { kind: 'onlyReachable', to: 'payments/api', from: ['orders/checkout', 'orders/chekout', 'ordrs/*'], source: AT },
      [{ field: 'from', ref: 'orders/chekout' }, { field: 'from', ref: 'ordrs/*' }]],
  ])('reports %s, having checked no flow', (_name, e, refs) => {
    const [outcome] = evaluateExpectations([e], results, { context: names });
    expect(outcome).toMatchObject({ passed: false, checked: 0, failure: { kind: 'unknown-reference', refs } });
  });

  it('checks names only when the context knows them, and passes over known names', () => {
    expect(evaluateExpectations([{ kind: 'noPlaintextInto', namespace: 'paymnts', source: AT }], results, { context })[0]?.passed).toBe(true);
    expect(evaluateExpectations([{ kind: 'onlyReachable', to: 'payments/api', from: ['orders/*', 'orders/checkout'], source: AT }], results, { context: names })[0]?.passed).toBe(true);
  });
});
