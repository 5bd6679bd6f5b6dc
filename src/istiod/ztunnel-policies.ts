import type { AuthorizationPolicy, Cluster } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Labels } from '../model/labels.js';
import type { MeshService, Waypoint, Workload, ZtunnelAuthorization } from '../model/mesh.js';
import { convertPeerAuthentications } from './convert-peer-authentications.js';
import { translateForZtunnel } from './translate-for-ztunnel.js';
import { selectorIndex } from './selector-index.js';
import { EMPTY_MATCH } from './translate-for-ztunnel.js';

/** Name istiod gives the synthetic ALLOW for a waypoint (policies.go `implicitWaypointPolicyName`). */
export function implicitWaypointPolicyName(waypoint: Waypoint): string {
  return `istio_allow_waypoint_${waypoint.namespace}_${waypoint.name}`;
}

export interface ZtunnelPolicySet {
  readonly policies: ZtunnelAuthorization[];
  /** Workloads with `policies` filled in, in ztunnel's order. */
  readonly workloads: Workload[];
  readonly diagnostics: Diagnostic[];
}

/**
 * The Authorizations istiod sends to ztunnel and which workload references which
 * (istio/istio:pilot/pkg/serviceregistry/ambient/workloads.go `buildWorkloadPolicies`, policies.go
 * `PolicyCollections`): selector policies of the workload's own namespace or the root namespace,
 * sorted by name, then PeerAuthentication-derived ones, then implicit waypoint policies.
 */
export function buildZtunnelPolicies(
  cluster: Cluster,
  workloads: readonly Workload[],
  services: readonly MeshService[],
  waypoints: ReadonlyMap<string, Waypoint>,
): ZtunnelPolicySet {
  const root = cluster.meshConfig.rootNamespace;
  const policies: ZtunnelAuthorization[] = [];
  const diagnostics: Diagnostic[] = [];
  const selectorPolicies: SelectorPolicy[] = [];
  for (const ap of cluster.authorizationPolicies) {
    const { authorization, notes } = translateForZtunnel(ap, { rootNamespace: root, istiodEnv: cluster.istiodEnv });
    for (const n of notes) diagnostics.push(n);
    if (!authorization) continue;
    policies.push(authorization);
    if (authorization.scope === 'WORKLOAD_SELECTOR') selectorPolicies.push({ policy: ap, authz: authorization });
  }
  selectorPolicies.sort((a, b) => compare(a.authz.name, b.authz.name) || compare(a.authz.namespace, b.authz.namespace));
  const peer = convertPeerAuthentications(cluster.peerAuthentications, { rootNamespace: root });
  for (const p of peer.policies) policies.push(p);
  const implicit = implicitWaypointPolicies(cluster, workloads, services, waypoints);
  for (const p of implicit.policies) policies.push(p);
  const candidatesOf = selectorCandidates(selectorPolicies, root);
  const attached = workloads.map((w): Workload => {
    const names: string[] = [];
    for (const { authz } of candidatesOf(w.namespace)(w.labels)) names.push(authz.key);
    for (const key of peer.policiesFor({ namespace: w.namespace, labels: w.labels })) names.push(key);
    for (const key of implicit.byWorkload.get(w.uid) ?? []) names.push(key);
    return names.length === 0 ? w : { ...w, policies: names };
  });
  return { policies, workloads: attached, diagnostics };
}

interface SelectorPolicy {
  readonly policy: AuthorizationPolicy;
  readonly authz: ZtunnelAuthorization;
}

/**
 * The selector policies that select a workload of a namespace, in name order: of its own namespace's
 * and the root namespace's (`policies` in name order), indexed per namespace on first use.
 */
function selectorCandidates(policies: readonly SelectorPolicy[], root: string): (namespace: string) => (labels: Labels) => SelectorPolicy[] {
  const byNamespace = new Map<string, SelectorPolicy[]>();
  for (const sp of policies) {
    const ns = sp.policy.meta.ref.namespace ?? 'default';
    const list = byNamespace.get(ns);
    if (list) list.push(sp);
    else byNamespace.set(ns, [sp]);
  }
  const candidates = new Map<string, (labels: Labels) => SelectorPolicy[]>();
  return (ns) => {
    let matching = candidates.get(ns);
    if (matching === undefined) {
      const list = ns === root ? byNamespace.get(root) ?? [] : [...(byNamespace.get(ns) ?? []), ...(byNamespace.get(root) ?? [])];
      if (ns !== root) list.sort((a, b) => compare(a.authz.name, b.authz.name) || compare(a.authz.namespace, b.authz.namespace));
      matching = selectorIndex(list, (sp) => sp.policy.spec.selector);
      candidates.set(ns, matching);
    }
    return matching;
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


/**
 * With `PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true`, an ALLOW for the waypoint's identity, referenced by
 * every workload behind that waypoint, directly or through one of its Services
 * (policies.go `implicitWaypointPolicy`, workloads.go `implicitWaypointPolicies`).
 */
function implicitWaypointPolicies(
  cluster: Cluster,
  workloads: readonly Workload[],
  services: readonly MeshService[],
  waypoints: ReadonlyMap<string, Waypoint>,
): { policies: ZtunnelAuthorization[]; byWorkload: Map<string, string[]> } {
  const byWorkload = new Map<string, string[]>();
  if (cluster.istiodEnv['PILOT_AUTO_ALLOW_WAYPOINT_POLICY'] !== 'true') return { policies: [], byWorkload };
  const used = new Set<string>();
  const add = (uid: string, wpKey: string): void => {
    const wp = waypoints.get(wpKey);
    if (!wp) return;
    const key = `${wp.namespace}/${implicitWaypointPolicyName(wp)}`;
    const list = byWorkload.get(uid) ?? [];
    if (!list.includes(key)) list.push(key);
    byWorkload.set(uid, list);
    used.add(wpKey);
  };
  for (const svc of services) {
    if (svc.waypoint && !svc.waypoint.problem) for (const uid of svc.endpoints) add(uid, svc.waypoint.waypoint);
  }
  for (const w of workloads) if (w.waypoint && !w.waypoint.problem) add(w.uid, w.waypoint.waypoint);
  const policies = [...used].sort().map((wpKey): ZtunnelAuthorization => {
    const wp = waypoints.get(wpKey) as Waypoint;
    const name = implicitWaypointPolicyName(wp);
    const principal = wp.identity.replace(/^spiffe:\/\//, '');
    return {
      key: `${wp.namespace}/${name}`, name, namespace: wp.namespace, scope: 'WORKLOAD_SELECTOR', action: 'ALLOW',
      groups: [{ ruleIndex: 0, clauses: [{ origin: 'from', matches: [{ ...EMPTY_MATCH, principals: [{ kind: 'exact', value: principal }] }] }] }],
      dryRun: false, origin: { kind: 'implicit-waypoint', waypoint: wpKey }, droppedRules: [],
    };
  });
  return { policies, byWorkload };
}
