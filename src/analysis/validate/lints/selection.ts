import type { PeerAuthentication } from '../../../model/cluster.js';
import type { Workload } from '../../../model/mesh.js';
import { selectorMatches } from '../../../match/labels.js';
import { formatSelector, isZtunnelBound, listSome, namespaceOf, type LintContext, type LintReport, type PolicyLint } from './lint-context.js';

/** A selector that picks no workload of the manifests: the policy applies to nothing. */
export const selectorMatchesNothing: PolicyLint = (policy, ctx, report) => {
  const selector = policy.spec.selector;
  if (!ctx.hasInventory || !selector || !isZtunnelBound(policy) || ctx.targetsOf(policy).length > 0) return;
  report('selector-matches-nothing', 'spec.selector', nothingSelected(formatSelector(selector), namespaceOf(policy.meta), ctx));
};

/** The same for a PeerAuthentication's selector (its mode then changes nothing). */
export function peerAuthenticationSelectsNothing(pa: PeerAuthentication, ctx: LintContext, report: LintReport): void {
  const selector = pa.spec.selector;
  if (!ctx.hasInventory || !selector || Object.keys(selector.matchLabels ?? {}).length === 0) return;
  const ns = namespaceOf(pa.meta);
  const pool = ns === ctx.mesh.meshConfig.rootNamespace ? ctx.mesh.workloads : ctx.workloadsByNamespace.get(ns) ?? [];
  if (pool.some((w) => selectorMatches(selector, w.labels))) return;
  report('selector-matches-nothing', 'spec.selector', nothingSelected(formatSelector(selector), ns, ctx));
}

function nothingSelected(selector: string, ns: string, ctx: LintContext): string {
  const root = ns === ctx.mesh.meshConfig.rootNamespace;
  const pool = (root ? ctx.mesh.workloads : ctx.workloadsByNamespace.get(ns) ?? []).filter((w) => !w.waypointFor);
  const seen = pool.length === 0
    ? `there are no workloads in ${root ? 'the manifests' : `namespace ${ns}`}`
    : `workloads there have labels such as ${listSome([...new Set(pool.map((w) => formatSelector({ matchLabels: w.labels })))], 2)}`;
  return `spec.selector (${selector}) matches no workload ${root ? 'in any namespace' : `in namespace ${ns}`}, so the object applies to nothing: ${seen}. Check the labels against the pods' labels`;
}

/**
 * A selector that picks only workloads neither ztunnel nor a sidecar captures (enrollment: CNI
 * enablement selectors): nothing enforces the policy for them.
 */
export const selectsUnenrolledOnly: PolicyLint = (policy, ctx, report) => {
  if (!ctx.hasInventory || !policy.spec.selector || !isZtunnelBound(policy)) return;
  const targets = ctx.targetsOf(policy).filter((w) => !w.waypointFor);
  if (targets.length === 0 || targets.some((w) => w.enrollment !== 'none')) return;
  const examples = listSome(targets.map((w) => `${w.uid} (${w.enrollmentReason})`));
  report('selects-unenrolled-only', 'spec.selector', `spec.selector picks only workloads that are in neither ambient nor sidecar mode: ${examples}. No ztunnel or sidecar sees their traffic, so the policy is never enforced. Enroll them (label the namespace or pods istio.io/dataplane-mode=ambient) or fix the selector`);
};

/**
 * Pitfall 6: waypoints never apply selector policies ("Waypoints never use selector", policyattachment.go
 * `ShouldAttachPolicy`), and ztunnel does not capture waypoint pods, so selecting one does nothing.
 */
export const selectorSelectsWaypoint: PolicyLint = (policy, ctx, report) => {
  if (!policy.spec.selector || !isZtunnelBound(policy)) return;
  const waypoints: Workload[] = ctx.targetsOf(policy).filter((w) => w.waypointFor !== undefined);
  const first = waypoints[0]?.waypointFor;
  if (first === undefined) return;
  const name = first.slice(first.indexOf('/') + 1);
  report('selector-selects-waypoint', 'spec.selector', `spec.selector picks the pod of waypoint ${listSome(waypoints.map((w) => w.waypointFor as string))}; waypoints ignore selector policies and ztunnel does not capture waypoint pods, so the policy does nothing there. Bind it to the waypoint with targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: ${name}}]`);
};
