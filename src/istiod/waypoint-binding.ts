import type { Labels } from '../model/labels.js';
import type { Waypoint, WaypointBinding } from '../model/mesh.js';
import { selectorMatches } from '../match/labels.js';

export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';

export interface BindingInput {
  readonly namespace: string;
  readonly labels: Labels;
  readonly namespaceLabels: Labels;
  /** Services and ServiceEntries bind `service` waypoints; pods bind `workload` ones. */
  readonly target: 'service' | 'workload';
}

/**
 * Which waypoint an object uses, and why it might not be in effect
 * (istio/istio:pilot/pkg/serviceregistry/ambient/waypoints.go `fetchWaypointForTarget`, `GetUseWaypoint`,
 * `fetchWaypointForWorkload`; `AllowsAttachmentFromNamespaceOrLookup`).
 * Returns undefined when no waypoint applies at all.
 */
export function bindWaypoint(
  input: BindingInput,
  waypoints: ReadonlyMap<string, Waypoint>,
  namespaceLabelsOf: (ns: string) => Labels,
): WaypointBinding | undefined {
  // The object's own label wins over its namespace's; `none` opts out even under a namespace waypoint.
  const own = input.labels[USE_WAYPOINT_LABEL];
  const via = own !== undefined ? 'object-label' : 'namespace-label';
  const labels = own !== undefined ? input.labels : input.namespaceLabels;
  const name = labels[USE_WAYPOINT_LABEL];
  if (name === undefined || name === '' || name === 'none') return undefined;
  // `istio.io/use-waypoint-namespace` on the same object overrides the waypoint's namespace.
  const wpNamespace = labels[USE_WAYPOINT_NAMESPACE_LABEL] || input.namespace;
  const key = `${wpNamespace}/${name}`;
  const waypoint = waypoints.get(key);
  if (!waypoint) return { waypoint: key, via, problem: 'waypoint-missing' };
  if (!trafficAllowed(waypoint, input.target)) {
    // A namespace-inherited waypoint of the wrong type is silently ignored for pods (fetchWaypointForWorkload).
    if (input.target === 'workload' && via === 'namespace-label') return undefined;
    return { waypoint: key, via, problem: 'waypoint-wrong-traffic-type' };
  }
  if (wpNamespace !== input.namespace && !allowsAttachmentFrom(waypoint, namespaceLabelsOf(input.namespace))) {
    return { waypoint: key, via, problem: 'waypoint-cross-namespace-refused' };
  }
  // Until `status.addresses` is set the waypoint is not usable (WaypointNotReady).
  if (!waypoint.ready) return { waypoint: key, via, problem: 'waypoint-not-ready' };
  return { waypoint: key, via };
}

/** `istio.io/waypoint-for`: service → Services only; workload → pods only; all → both; none → nothing. */
function trafficAllowed(waypoint: Waypoint, target: 'service' | 'workload'): boolean {
  if (waypoint.trafficType === 'all') return true;
  return waypoint.trafficType === target;
}

/** The listener's `allowedRoutes.namespaces.from`: Same (default), All, or Selector on the namespace's labels. */
function allowsAttachmentFrom(waypoint: Waypoint, namespaceLabels: Labels): boolean {
  if (waypoint.allowedRoutesFrom === 'All') return true;
  if (waypoint.allowedRoutesFrom === 'Selector') {
    return waypoint.allowedRoutesSelector !== undefined && selectorMatches(waypoint.allowedRoutesSelector, namespaceLabels);
  }
  return false;
}
