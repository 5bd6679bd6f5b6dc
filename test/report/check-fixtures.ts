import type { ScenarioCheck } from '../../src/sim/check-scenario.js';
import { diffResults } from '../../src/analysis/diff/diff-results.js';
import { evaluateExpectations } from '../../src/analysis/expect/evaluate-expectations.js';
import type { Expectation } from '../../src/model/scenario.js';
import { denied, plaintext, result } from '../analysis/expect/result-fixtures.js';

/** Hand-built scenario checks for report tests: one passing, one failing, one unreadable. */

const at = (line: number) => ({ file: 'scenarios/payments/scenario.yaml', document: 0, line });

const before = [result('checkout-pays'), result('legacy-batch', { source: 'legacy/batch <v1> & "old"' })];
const after = [
  result('checkout-pays', { decidedBy: { component: 'waypoint', name: 'payments/waypoint' }, policy: 'payments/allow-orders', rule: 0, reason: 'allow-policy-matched' }),
  denied('legacy-batch', 'istio-system/istio_converted_static_strict', {
    source: 'legacy/batch <v1> & "old"', encrypted: false, reason: 'strict-mtls-plaintext-denied',
    hops: [],
    steps: [{ at: 'destination-ztunnel node-1', code: 'strict-mtls-plaintext-denied', effect: 'deny', policy: 'istio-system/istio_converted_static_strict', rule: 0 }],
  }),
];

const expectations: Expectation[] = [
  { kind: 'flow', flow: 'checkout-pays', verdict: 'allow', decidedBy: 'waypoint', source: at(12) },
  { kind: 'changes', counts: 'none', source: at(15) },
  { kind: 'noPlaintextInto', namespace: 'payments', source: at(16) },
];

const diff = diffResults(before, after);

export const PASSING: ScenarioCheck = {
  name: 'Checkout keeps paying', file: 'scenarios/payments/scenario.yaml', status: 'passed',
  outcomes: evaluateExpectations([expectations[0] as Expectation], after), results: after,
  whatIfNotes: [], diagnostics: [], summary: { flows: 2, allowed: 1, denied: 1, unencrypted: 1 },
};

export const FAILING: ScenarioCheck = {
  name: 'Mesh goes STRICT', file: 'scenarios/strict/scenario.yaml', status: 'failed',
  outcomes: evaluateExpectations(expectations, after, { diff }), results: after, before, diff,
  whatIfNotes: ['set PeerAuthentication istio-system/default to STRICT'],
  diagnostics: [{ severity: 'warning', code: 'unknown-scenario-field', file: 'scenarios/strict/scenario.yaml', line: 3, message: 'scenarios/strict/scenario.yaml:3: scenario: unknown field "descripton" ignored' }],
  summary: { flows: 2, allowed: 1, denied: 1, unencrypted: 1 },
};

export const UNREADABLE: ScenarioCheck = {
  name: 'scenarios/broken/scenario.yaml', file: 'scenarios/broken/scenario.yaml', status: 'error', outcomes: [], results: [],
  whatIfNotes: [], summary: { flows: 0, allowed: 0, denied: 0, unencrypted: 0 },
  diagnostics: [{ severity: 'error', code: 'yaml-syntax', file: 'scenarios/broken/scenario.yaml', line: 2, column: 3, message: 'scenarios/broken/scenario.yaml:2:3: Implicit keys need to be on a single line' }],
};

export { plaintext };
