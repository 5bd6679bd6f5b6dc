import { describe, expect, it } from 'vitest';
import { allow, ambientNamespace, namespace, peerAuthentication, pod, waypoint } from '../../../support/builders.js';
import { lintCodes, lints, PAY } from './lint-fixtures.js';

const fromShop = [{ from: [{ source: { namespaces: ['shop'] } }] }];
const selecting = (labels: Record<string, string>) => ({ selector: { matchLabels: labels } });

describe('lints on what a selector picks fire on the manifest that has the problem and not on its fix', () => {
  it.each([
    ['selector-matches-nothing', 'a label no pod has', [...PAY, allow('pay/p', fromShop, selecting({ app: 'apii' }))], [...PAY, allow('pay/p', fromShop, selecting({ app: 'api' }))]],
    ['selector-matches-nothing', 'a PeerAuthentication selector', [...PAY, peerAuthentication('pay/pa', 'STRICT', selecting({ app: 'api', tier: 'critical' }))], [...PAY, peerAuthentication('pay/pa', 'STRICT', selecting({ app: 'api' }))]],
    ['selects-unenrolled-only', 'pods of a namespace without ambient', [namespace('legacy'), pod('legacy/db', '10.0.1.1'), allow('legacy/p', fromShop, selecting({ app: 'db' }))], [ambientNamespace('legacy'), pod('legacy/db', '10.0.1.1'), allow('legacy/p', fromShop, selecting({ app: 'db' }))]],
    ['selects-unenrolled-only', 'a hostNetwork pod', [ambientNamespace('pay'), pod('pay/agent', '10.0.0.9', { hostNetwork: true }), allow('pay/p', fromShop, selecting({ app: 'agent' }))], [ambientNamespace('pay'), pod('pay/agent', '10.0.0.9', { annotations: { 'sidecar.istio.io/status': '{}' } }), allow('pay/p', fromShop, selecting({ app: 'agent' }))]],
    ['selector-selects-waypoint', 'the waypoint pod\'s gateway-name label', [...PAY, waypoint('pay/wp'), allow('pay/p', fromShop, selecting({ 'gateway.networking.k8s.io/gateway-name': 'wp' }))], [...PAY, waypoint('pay/wp'), allow('pay/p', fromShop, { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] })]],
  ] as const)('%s: %s', (code, _name, bad, good) => {
    expect(lintCodes(bad)).toContain(code);
    expect(lintCodes(good)).not.toContain(code);
  });

  it('does not judge selectors when the manifests describe no workloads (a directory of policies alone)', () => {
    expect(lintCodes([allow('pay/p', fromShop, selecting({ app: 'nothing' }))])).not.toContain('selector-matches-nothing');
  });

  it('says what labels the namespace does have', () => {
    const d = lints([...PAY, allow('pay/p', fromShop, selecting({ app: 'apii' }))]).find((x) => x.code === 'selector-matches-nothing');
    expect(d?.message).toContain('workloads there have labels such as app=api');
  });
});
