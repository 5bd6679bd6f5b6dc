import { describe, expect, it } from 'vitest';
import { bindWaypoint, type BindingInput } from '../../src/istiod/waypoint-binding.js';
import type { Waypoint } from '../../src/model/mesh.js';

function wp(key: string, extra: Partial<Waypoint> = {}): Waypoint {
  const [namespace, name] = key.split('/') as [string, string];
  return {
    key, namespace, name, serviceAccount: name, identity: `spiffe://cluster.local/ns/${namespace}/sa/${name}`,
    ips: ['10.0.0.9'], workloadUid: `${key}-pod`, trafficType: 'service', ready: true, allowedRoutesFrom: 'Same',
    source: { file: 'f', document: 0, line: 1 }, ...extra,
  };
}
const waypoints = new Map<string, Waypoint>([
  ['pay/wp', wp('pay/wp')],
  ['pay/pods', wp('pay/pods', { trafficType: 'workload' })],
  ['pay/both', wp('pay/both', { trafficType: 'all' })],
  ['pay/none', wp('pay/none', { trafficType: 'none' })],
  ['pay/pending', wp('pay/pending', { ready: false })],
  ['shared/same', wp('shared/same')],
  ['shared/open', wp('shared/open', { allowedRoutesFrom: 'All' })],
  ['shared/picky', wp('shared/picky', { allowedRoutesFrom: 'Selector', allowedRoutesSelector: { matchLabels: { mesh: 'yes' } } })],
]);
const nsLabels = (ns: string): Record<string, string> => (ns === 'pay' ? { mesh: 'yes' } : {});
const svc = (labels: Record<string, string>, namespaceLabels: Record<string, string> = {}): BindingInput => ({ namespace: 'pay', labels, namespaceLabels, target: 'service' });
const podIn = (labels: Record<string, string>, namespaceLabels: Record<string, string> = {}): BindingInput => ({ namespace: 'pay', labels, namespaceLabels, target: 'workload' });
const USE = 'istio.io/use-waypoint';

// istio/istio:pilot/pkg/serviceregistry/ambient/waypoints.go fetchWaypointForTarget / GetUseWaypoint /
// fetchWaypointForWorkload; ambientindex_test.go TestAmbientIndex_WaypointForWorkloadTraffic,
// TestAmbientIndex_WaypointConfiguredOnlyWhenReady; gateway TestMakeAllowedRoutes.
describe('bindWaypoint() picks the waypoint istiod would', () => {
  it.each([
    ['a Service label binds the Service', svc({ [USE]: 'wp' }), { waypoint: 'pay/wp', via: 'object-label' }],
    ['the namespace label binds a Service without its own label', svc({}, { [USE]: 'wp' }), { waypoint: 'pay/wp', via: 'namespace-label' }],
    ['the object label wins over the namespace label', svc({ [USE]: 'both' }, { [USE]: 'wp' }), { waypoint: 'pay/both', via: 'object-label' }],
    ['`none` on the object opts out of the namespace waypoint', svc({ [USE]: 'none' }, { [USE]: 'wp' }), undefined],
    ['no label anywhere: no waypoint', svc({}), undefined],
    ['a name with no Gateway is reported missing', svc({ [USE]: 'ghost' }), { waypoint: 'pay/ghost', via: 'object-label', problem: 'waypoint-missing' }],
    ['a Gateway without status.addresses is not ready (WaypointConfiguredOnlyWhenReady)', svc({ [USE]: 'pending' }), { waypoint: 'pay/pending', via: 'object-label', problem: 'waypoint-not-ready' }],
    ['a workload-only waypoint refuses a Service', svc({ [USE]: 'pods' }), { waypoint: 'pay/pods', via: 'object-label', problem: 'waypoint-wrong-traffic-type' }],
    ['a pod labelled for a workload waypoint binds it', podIn({ [USE]: 'pods' }), { waypoint: 'pay/pods', via: 'object-label' }],
    ['a pod labelled for a service-only waypoint gets none, with status (unsupported traffic type)', podIn({ [USE]: 'wp' }), { waypoint: 'pay/wp', via: 'object-label', problem: 'waypoint-wrong-traffic-type' }],
    ['a namespace service-only waypoint is silently ignored for pods (fetchWaypointForWorkload)', podIn({}, { [USE]: 'wp' }), undefined],
    ['a namespace `all` waypoint binds pods too', podIn({}, { [USE]: 'both' }), { waypoint: 'pay/both', via: 'namespace-label' }],
    ['cross-namespace use is refused with allowedRoutes Same (default)', svc({ [USE]: 'same', 'istio.io/use-waypoint-namespace': 'shared' }), { waypoint: 'shared/same', via: 'object-label', problem: 'waypoint-cross-namespace-refused' }],
    ['cross-namespace use works with allowedRoutes All', svc({ [USE]: 'open', 'istio.io/use-waypoint-namespace': 'shared' }), { waypoint: 'shared/open', via: 'object-label' }],
    ['cross-namespace use with allowedRoutes Selector checks the namespace labels', svc({ [USE]: 'picky', 'istio.io/use-waypoint-namespace': 'shared' }), { waypoint: 'shared/picky', via: 'object-label' }],
  ])('%s', (_name, input, expected) => {
    expect(bindWaypoint(input, waypoints, nsLabels)).toEqual(expected);
  });

  it('a waypoint labelled waypoint-for none takes no traffic at all', () => {
    // The label value `none` itself means "opt out", so a Gateway named none can never be chosen.
    expect(bindWaypoint(svc({ [USE]: 'none' }), waypoints, nsLabels)).toBeUndefined();
    const renamed = new Map([['pay/closed', wp('pay/closed', { trafficType: 'none' })]]);
    expect(bindWaypoint(svc({ [USE]: 'closed' }), renamed, nsLabels)).toEqual({ waypoint: 'pay/closed', via: 'object-label', problem: 'waypoint-wrong-traffic-type' });
  });
});
