import { describe, expect, it } from 'vitest';
import { allow, ambientNamespace, pod, service } from '../../../support/builders.js';
import { lintCodes, lints } from './lint-fixtures.js';

const sel = { selector: { matchLabels: { app: 'api' } } };
const onPort = (p: string) => [{ to: [{ operation: { ports: [p] } }] }];
const base = [ambientNamespace('pay'), pod('pay/api', '10.0.0.1', { ports: [8080] }), service('pay/api', '10.96.0.1', { port: 80, targetPort: 8080 })];
const withUdp = [ambientNamespace('pay'), { ...pod('pay/api', '10.0.0.1'), template: { ...pod('pay/api', '10.0.0.1').template, ports: [{ containerPort: 8080, protocol: 'TCP' as const }, { containerPort: 5353, protocol: 'UDP' as const }] } }];

// Pitfalls 4 and 9: ztunnel sees container ports, and only TCP.
describe('ztunnel port lints', () => {
  it.each([
    ['ztunnel-service-port', 'the Service port 80 instead of the container port 8080', [...base, allow('pay/p', onPort('80'), sel)], [...base, allow('pay/p', onPort('8080'), sel)]],
    ['ztunnel-service-port', 'destination.port 80', [...base, allow('pay/p', [{ when: [{ key: 'destination.port', values: ['80'] }] }], sel)], [...base, allow('pay/p', [{ when: [{ key: 'destination.port', values: ['8080'] }] }], sel)]],
    ['ztunnel-udp-port', 'a UDP container port', [...withUdp, allow('pay/p', onPort('5353'), sel)], [...withUdp, allow('pay/p', onPort('8080'), sel)]],
  ] as const)('%s: %s', (code, _name, bad, good) => {
    expect(lintCodes(bad)).toContain(code);
    expect(lintCodes(good)).not.toContain(code);
  });

  it('is silent for a waypoint policy, where the Service port is what the waypoint sees', () => {
    expect(lintCodes([...base, allow('pay/p', onPort('80'), { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] })])).not.toContain('ztunnel-service-port');
  });

  it('names the Service and the port to write', () => {
    expect(lints([...base, allow('pay/p', onPort('80'), sel)])[0]?.message).toContain('Service pay/api port 80 → 8080');
  });
});
