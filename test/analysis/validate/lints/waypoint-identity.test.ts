import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../src/model/policy.js';
import { allow, ambientNamespace, pod, service, waypoint } from '../../../support/builders.js';
import { lintCodes, lints, PAY, PAY_WITH_WAYPOINT } from './lint-fixtures.js';

const fromShop: Rule = { from: [{ source: { namespaces: ['shop'] } }] };
const fromWaypoint: Rule = { from: [{ source: { principals: ['cluster.local/ns/pay/sa/wp'] } }] };
const sel = { selector: { matchLabels: { app: 'api' } } };

// Pitfall 1: after a waypoint the destination ztunnel sees the waypoint's identity (semantics §4).
describe('waypoint-identity-at-ztunnel', () => {
  it.each([
    ['a selector ALLOW keyed on client namespaces behind a namespace waypoint', [...PAY_WITH_WAYPOINT, allow('pay/p', [fromShop], sel)], [...PAY_WITH_WAYPOINT, allow('pay/p', [fromShop, fromWaypoint], sel)]],
    ['a namespace-wide ALLOW keyed on client principals', [...PAY_WITH_WAYPOINT, allow('pay/p', [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }])], [...PAY, allow('pay/p', [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }])]],
    ['a Service that uses the waypoint by its own label', [ambientNamespace('pay'), pod('pay/api', '10.0.0.1'), service('pay/api', '10.96.0.1', { labels: { 'istio.io/use-waypoint': 'wp' } }), waypoint('pay/wp'), allow('pay/p', [fromShop], sel)], [ambientNamespace('pay'), pod('pay/api', '10.0.0.1'), service('pay/api', '10.96.0.1'), waypoint('pay/wp'), allow('pay/p', [fromShop], sel)]],
  ] as const)('%s', (_name, bad, good) => {
    expect(lintCodes(bad)).toContain('waypoint-identity-at-ztunnel');
    expect(lintCodes(good)).not.toContain('waypoint-identity-at-ztunnel');
  });

  it('is silent when another policy already admits the waypoint, as the engine decides', () => {
    expect(lintCodes([...PAY_WITH_WAYPOINT, allow('pay/p', [fromShop], sel), allow('pay/wp-in', [fromWaypoint], sel)])).not.toContain('waypoint-identity-at-ztunnel');
  });

  it('is silent with PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true', () => {
    expect(lintCodes([...PAY_WITH_WAYPOINT, allow('pay/p', [fromShop], sel)], { istiodEnv: { PILOT_AUTO_ALLOW_WAYPOINT_POLICY: 'true' } })).not.toContain('waypoint-identity-at-ztunnel');
  });

  it('is silent for rules that only name ports: those do not key on the client', () => {
    expect(lintCodes([...PAY_WITH_WAYPOINT, allow('pay/p', [{ to: [{ operation: { ports: ['9090'] } }] }], sel)])).not.toContain('waypoint-identity-at-ztunnel');
  });

  it('names the workload, the waypoint and the principal to add', () => {
    const d = lints([...PAY_WITH_WAYPOINT, allow('pay/p', [fromShop], sel)]).find((x) => x.code === 'waypoint-identity-at-ztunnel');
    expect(d?.message).toContain('pay/api is behind waypoint pay/wp (via Service pay/api)');
    expect(d?.message).toContain('Add principal "cluster.local/ns/pay/sa/wp"');
  });
});
