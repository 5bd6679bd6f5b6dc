import { describe, expect, it } from 'vitest';
import { buildWaypoints } from '../../src/istiod/waypoints.js';
import { cluster, namespace, pod, waypoint } from '../support/builders.js';

const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';

describe('buildWaypoints() runs a waypoint on the pod labelled with its name', () => {
  it('the first such pod of the Gateway\'s namespace, never one of another namespace', () => {
    const c = cluster([
      namespace('pay'), namespace('shop'),
      pod('shop/wp-elsewhere', '10.0.2.1', { labels: { [GATEWAY_NAME]: 'wp' } }),
      pod('pay/other', '10.0.1.1', { labels: { [GATEWAY_NAME]: 'other' } }),
      pod('pay/wp-first', '10.0.1.2', { labels: { [GATEWAY_NAME]: 'wp' } }),
      pod('pay/wp-second', '10.0.1.3', { labels: { [GATEWAY_NAME]: 'wp' } }),
      waypoint('pay/wp'), waypoint('shop/unrun'),
    ]);
    const built = buildWaypoints(c, new Set());
    expect(built.waypoints.map((w) => [w.key, w.workloadUid, w.ips])).toEqual([
      ['pay/wp', 'pay/wp-first', ['10.0.1.2']],
      ['shop/unrun', 'shop/unrun-waypoint', built.synthesizedPods[0]?.ips],
    ]);
    expect(built.synthesizedPods.map((p) => p.meta.ref.name)).toEqual(['unrun-waypoint']);
  });
});
