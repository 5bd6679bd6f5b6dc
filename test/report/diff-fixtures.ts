import { diffResults } from '../../src/analysis/diff/diff-results.js';
import { denied, plaintext, result } from '../analysis/expect/result-fixtures.js';

/** A diff with one flow of each kind of change, plus added and removed flows, for report tests. */
const waypoint = { component: 'waypoint', name: 'payments/waypoint' } as const;

export const BEFORE = [
  result('checkout-pays', { policy: 'payments/allow-orders', rule: 0, reason: 'allow-policy-matched', steps: [{ at: 'destination-ztunnel node-1', code: 'allow-policy-matched', effect: 'allow', policy: 'payments/allow-orders', rule: 0 }] }),
  denied('scanner-probes', 'payments/deny-scanners', { source: '198.51.100.7' }),
  result('legacy-batch', { source: 'legacy/batch' }),
  plaintext('monitoring-scrape', { source: 'monitoring/prometheus' }),
  result('reports-read'),
  result('unchanged'),
  result('dropped-flow'),
];

export const AFTER = [
  result('checkout-pays', {
    decidedBy: { component: 'destination-ztunnel', name: 'node-2' }, verdict: 'deny', policy: null, reason: 'no-allow-policy-matched',
    steps: [
      { at: 'source-ztunnel node-1', code: 'routed-via-waypoint', effect: 'info', detail: { waypoint: 'payments/waypoint' } },
      { at: 'destination-ztunnel node-2', code: 'no-allow-policy-matched', effect: 'deny' },
    ],
  }),
  result('scanner-probes', { source: '198.51.100.7' }),
  plaintext('legacy-batch', { source: 'legacy/batch' }),
  result('monitoring-scrape', { source: 'monitoring/prometheus' }),
  result('reports-read', { decidedBy: waypoint, steps: [{ at: 'waypoint payments/waypoint', code: 'no-allow-policies', effect: 'allow' }] }),
  result('unchanged'),
  result('new-flow | with pipe'),
];

export const DIFF = diffResults(BEFORE, AFTER);
