import type { MeshIndex } from '../../dataplane/mesh-index.js';
import type { Flow } from '../../model/flow.js';
import type { Workload } from '../../model/mesh.js';
import type { SuggestAt, SuggestedPolicy, Suggestion, SuggestionNote } from '../../model/suggestion.js';
import { observeFlows, type Sighting } from './observations.js';
import { groupBy } from './sources.js';
import { waypointPolicies } from './waypoint-policies.js';
import { ztunnelPolicies } from './ztunnel-policies.js';

/** A suggestion with what its replay needs: the ids of the flows it must admit, and what each enforcement point saw. */
export interface SuggestionWork {
  readonly suggestion: Suggestion;
  readonly admitted: ReadonlySet<string>;
  readonly sightings: readonly Sighting[];
}

/**
 * The least-privilege ALLOW policies for the observed `flows`, computed over `baseline` (the cluster
 * with no AuthorizationPolicy, so every enforcement point on each flow's path is reached):
 * selector policies at each destination ztunnel, and with `at` `auto` or `waypoint` targetRefs
 * policies at the waypoints the traffic takes. Pure and total.
 */
export function draftSuggestion(baseline: MeshIndex, flows: Iterable<Flow>, options: { readonly at?: SuggestAt } = {}): SuggestionWork {
  const at = options.at ?? 'auto';
  const observed = observeFlows(baseline, flows);
  const notes: SuggestionNote[] = [];
  const ztunnel = ztunnelPolicies(baseline, observed.sightings, notes);
  const waypoint = at === 'ztunnel' ? [] : waypointPolicies(baseline, observed.sightings);
  notes.push(...waypointNotes(baseline, observed.sightings, at));
  for (const [reason, ids] of observed.deniedRegardless) notes.push({ kind: 'denied-regardless', flows: ids, reason });
  const policies = uniqueNames([...waypoint, ...ztunnel]);
  return {
    suggestion: { at, policies, notes, admitted: observed.admitted.length, observed: observed.flows },
    admitted: new Set(observed.admitted.map((f) => f.id)),
    sightings: observed.sightings,
  };
}

/**
 * Where a waypoint is missing or cannot help: HTTP rules need a waypoint (`auto`; `waypoint` asks for
 * one for every destination); `ztunnel` only sees the waypoint's identity; istiod may already admit
 * the waypoint (PILOT_AUTO_ALLOW_WAYPOINT_POLICY, pilot/pkg/serviceregistry/ambient/policies.go).
 */
function waypointNotes(index: MeshIndex, sightings: readonly Sighting[], at: SuggestAt): SuggestionNote[] {
  const notes: SuggestionNote[] = [];
  const direct = sightings.filter((s) => s.checkpoint.component === 'destination-ztunnel' && !s.after && s.workload);
  const wanting = at === 'waypoint' ? direct : at === 'auto' ? direct.filter((s) => s.flow.http !== undefined) : [];
  const bypassing = groupBy(wanting.filter((s) => waypointOf(index, s.workload as Workload)), (s) => waypointOf(index, s.workload as Workload) ?? '');
  for (const [waypoint, list] of bypassing) {
    notes.push({ kind: 'waypoint-bypassed', waypoint, destinations: destinationsOf(list), flows: [...new Set(list.map((s) => s.flow.id))] });
  }
  for (const [namespace, list] of groupBy(wanting.filter((s) => !waypointOf(index, s.workload as Workload)), (s) => s.workload?.namespace ?? '')) {
    notes.push({ kind: 'add-waypoint', namespace, destinations: destinationsOf(list), http: list.some((s) => s.flow.http !== undefined) });
  }
  const through = sightings.filter((s) => s.after && s.workload);
  for (const [waypoint, list] of groupBy(through, (s) => s.after?.key ?? '')) {
    const destinations = destinationsOf(list);
    if (at === 'ztunnel') notes.push({ kind: 'waypoint-identity-only', waypoint, destinations });
    if (index.mesh.istiodEnv['PILOT_AUTO_ALLOW_WAYPOINT_POLICY'] === 'true') notes.push({ kind: 'auto-allow-waypoint', waypoint });
  }
  return notes;
}

function destinationsOf(sightings: readonly Sighting[]): string[] {
  return [...new Set(sightings.map((s) => s.workload?.controller ?? s.workload?.uid ?? ''))].sort();
}

/** The waypoint a workload already has, for its pod IP or through one of its Services. */
function waypointOf(index: MeshIndex, workload: Workload): string | undefined {
  if (workload.waypoint && !workload.waypoint.problem) return workload.waypoint.waypoint;
  return (index.servicesByEndpoint.get(workload.uid) ?? []).find((svc) => svc.waypoint && !svc.waypoint.problem)?.waypoint?.waypoint;
}

/** Policies named apart within their namespace: a second `api-waypoint` (a Service and a Gateway both named api) becomes `api-waypoint-2`. */
function uniqueNames(policies: readonly SuggestedPolicy[]): SuggestedPolicy[] {
  const taken = new Set<string>();
  return policies.map((p) => {
    let name = p.name;
    for (let n = 2; taken.has(`${p.namespace}/${name}`); n++) name = `${p.name.slice(0, 240)}-${n}`;
    taken.add(`${p.namespace}/${name}`);
    return name === p.name ? p : { ...p, name };
  });
}
