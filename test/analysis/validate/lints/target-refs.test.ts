import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../../../src/model/cluster.js';
import { allow, ambientNamespace, pod, service, waypoint } from '../../../support/builders.js';
import { lintCodes, lints, PAY, PAY_WITH_WAYPOINT } from './lint-fixtures.js';

const get = [{ to: [{ operation: { methods: ['GET'] } }] }];
const toService = (name: string) => ({ targetRefs: [{ kind: 'Service', group: '', name }] });
const toGateway = (name: string) => ({ targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name }] });
const ingress: Gateway = { ...waypoint('pay/ingress'), gatewayClassName: 'istio' };

describe('lints on targetRefs fire on the manifest that has the problem and not on its fix', () => {
  it.each([
    ['target-ref-missing', 'a Service that is not in the manifests', [...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('apii'))], [...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('api'))]],
    ['target-ref-missing', 'a Gateway that is not in the manifests', [...PAY_WITH_WAYPOINT, allow('pay/p', get, toGateway('wpp'))], [...PAY_WITH_WAYPOINT, allow('pay/p', get, toGateway('wp'))]],
    ['target-ref-missing', 'a Gateway that is no waypoint', [...PAY_WITH_WAYPOINT, ingress, allow('pay/p', get, toGateway('ingress'))], [...PAY_WITH_WAYPOINT, ingress, allow('pay/p', get, toGateway('wp'))]],
    ['target-service-without-waypoint', 'no istio.io/use-waypoint anywhere', [...PAY, allow('pay/p', get, toService('api'))], [...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('api'))]],
    ['target-service-without-waypoint', 'a waypoint that is not ready', [ambientNamespace('pay', { 'istio.io/use-waypoint': 'wp' }), pod('pay/api', '10.0.0.1'), service('pay/api', '10.96.0.1'), waypoint('pay/wp', { ready: false }), allow('pay/p', get, toService('api'))], [...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('api'))]],
    ['waypoint-bypassable', 'no ztunnel ALLOW behind the waypoint', [...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('api'))], [...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('api')), allow('pay/l4', [{ from: [{ source: { principals: ['cluster.local/ns/pay/sa/wp'] } }] }], { selector: { matchLabels: { app: 'api' } } })]],
    ['waypoint-bypassable', 'a Gateway-bound policy', [...PAY_WITH_WAYPOINT, allow('pay/p', get, toGateway('wp'))], [...PAY_WITH_WAYPOINT, allow('pay/p', get, toGateway('wp')), allow('pay/l4', [{ from: [{ source: { principals: ['cluster.local/ns/pay/sa/wp'] } }] }])]],
  ] as const)('%s: %s', (code, _name, bad, good) => {
    expect(lintCodes(bad)).toContain(code);
    expect(lintCodes(good)).not.toContain(code);
  });

  it('waypoint-bypassable is silent when istiod adds the waypoint ALLOW itself (PILOT_AUTO_ALLOW_WAYPOINT_POLICY)', () => {
    expect(lintCodes([...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('api'))], { istiodEnv: { PILOT_AUTO_ALLOW_WAYPOINT_POLICY: 'true' } })).not.toContain('waypoint-bypassable');
  });

  it('waypoint-bypassable is a note and names the waypoint principal to allow', () => {
    const d = lints([...PAY_WITH_WAYPOINT, allow('pay/p', get, toService('api'))]).find((x) => x.code === 'waypoint-bypassable');
    expect(d).toMatchObject({ severity: 'info', message: expect.stringContaining('principal "cluster.local/ns/pay/sa/wp"') });
  });

  it('does not call a Service missing when the manifests hold only policies', () => {
    expect(lintCodes([allow('pay/p', get, toService('api'))])).not.toContain('target-ref-missing');
  });
});
