import type { AuthorizationPolicy } from '../../../model/cluster.js';
import type { MeshService, WaypointBindingProblem } from '../../../model/mesh.js';
import { listSome, namespaceOf, type LintContext, type PolicyLint } from './lint-context.js';

const GATEWAY_API = 'gateway.networking.k8s.io';

/** The targetRefs of a policy with the field path each one was written at. */
function refsOf(policy: AuthorizationPolicy): { kind: string; group: string; name: string; path: string }[] {
  const singular = policy.spec.usesSingularTargetRef === true;
  return (policy.spec.targetRefs ?? []).map((ref, i) => ({
    kind: ref.kind, group: ref.group ?? '', name: ref.name,
    path: singular && i === 0 ? 'spec.targetRef' : `spec.targetRefs.${singular ? i - 1 : i}`,
  }));
}

const isServiceRef = (r: { kind: string; group: string }): boolean => r.kind === 'Service' && (r.group === '' || r.group === 'core');
const isGatewayRef = (r: { kind: string; group: string }): boolean => r.kind === 'Gateway' && r.group === GATEWAY_API;

/** A targetRef naming a Service or Gateway the manifests do not have, or a Gateway that is no waypoint. */
export const targetRefMissing: PolicyLint = (policy, ctx, report) => {
  const ns = namespaceOf(policy.meta);
  for (const ref of refsOf(policy)) {
    const key = `${ns}/${ref.name}`;
    if (isServiceRef(ref) && ctx.hasInventory && !ctx.index.serviceByKey.has(key)) {
      report('target-ref-missing', ref.path, `targetRef Service ${key} is not in the manifests, so the policy attaches to nothing. Check the name (targetRefs name a Service in the policy's own namespace)`);
    }
    if (isGatewayRef(ref) && !ctx.index.waypointByKey.has(key)) {
      const gw = ctx.cluster.gateways.find((g) => namespaceOf(g.meta) === ns && g.meta.ref.name === ref.name);
      const why = gw ? `Gateway ${key} has class ${gw.gatewayClassName}, not istio-waypoint; only waypoints apply AuthorizationPolicies from targetRefs in ambient mode` : `no Gateway ${key} is in the manifests`;
      if (gw || ctx.hasInventory || ctx.cluster.gateways.length > 0) report('target-ref-missing', ref.path, `targetRef Gateway ${ref.name}: ${why}, so the policy attaches to nothing`);
    }
  }
};

const PROBLEM_TEXT: Readonly<Record<WaypointBindingProblem, string>> = {
  'waypoint-missing': 'names a waypoint that does not exist',
  'waypoint-not-ready': 'names a waypoint that has no status.addresses yet (not ready)',
  'waypoint-wrong-traffic-type': 'names a waypoint whose istio.io/waypoint-for does not take Service traffic',
  'waypoint-cross-namespace-refused': 'names a waypoint in another namespace whose listener allowedRoutes refuse this namespace',
};

/**
 * A Service-targeted policy is enforced only by the waypoint bound to the Service, and ztunnel ignores
 * targetRefs policies ("TargetRef is not intended for ztunnel"): without a waypoint it does nothing.
 */
export const targetServiceWithoutWaypoint: PolicyLint = (policy, ctx, report) => {
  const ns = namespaceOf(policy.meta);
  for (const ref of refsOf(policy)) {
    const svc = isServiceRef(ref) ? ctx.index.serviceByKey.get(`${ns}/${ref.name}`) : undefined;
    if (!svc || (svc.waypoint && !svc.waypoint.problem)) continue;
    const why = svc.waypoint?.problem
      ? `its istio.io/use-waypoint label ${PROBLEM_TEXT[svc.waypoint.problem]} (${svc.waypoint.waypoint})`
      : 'neither it nor its namespace has the label istio.io/use-waypoint';
    report('target-service-without-waypoint', ref.path, `targetRef Service ${svc.key} has no waypoint in effect: ${why}. Only a waypoint enforces targetRefs policies and ztunnel ignores them, so this policy has no effect. Label the Service or namespace istio.io/use-waypoint=<waypoint>, or use a selector policy for L4 rules`);
  }
};

/**
 * Pitfall 7: a policy enforced only at the waypoint guards nothing on the paths that skip it (pod-IP
 * traffic, out-of-mesh clients, sidecars and ingress gateways, ztunnel has no bypass check), unless the
 * destination ztunnel admits only the waypoint. Reported when no ztunnel ALLOW applies to the endpoints.
 */
export const waypointBypassable: PolicyLint = (policy, ctx, report) => {
  if (policy.spec.action !== 'ALLOW' && policy.spec.action !== 'CUSTOM') return;
  const guarded = guardedServices(policy, ctx);
  const open = guarded.flatMap((s) => (ctx.index.endpointsByService.get(s.key) ?? [])
    .filter((w) => w.enrollment === 'ambient' && ctx.index.ztunnelPoliciesFor(w).every((c) => c.policy.action !== 'ALLOW' || c.policy.dryRun))
    .map((w) => ({ svc: s, w })));
  const first = open[0];
  if (!first) return;
  const waypoint = ctx.index.waypointByKey.get(first.svc.waypoint?.waypoint ?? '');
  const principal = waypoint?.identity.replace(/^spiffe:\/\//, '') ?? '<waypoint principal>';
  report('waypoint-bypassable', refsOf(policy)[0]?.path ?? 'spec', `only the waypoint enforces this policy; traffic that skips it (to a pod IP, from out-of-mesh clients, from sidecars or ingress gateways) reaches ${listSome([...new Set(open.map((o) => o.w.uid))])} unchecked, because no ztunnel ALLOW policy applies to ${open.length === 1 ? 'it' : 'them'}. Add a selector ALLOW admitting only principal "${principal}", or set PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true on istiod`);
};

/** The Services whose traffic the policy's waypoint checks: targeted Services, or every Service of a targeted waypoint. */
function guardedServices(policy: AuthorizationPolicy, ctx: LintContext): MeshService[] {
  const ns = namespaceOf(policy.meta);
  const out: MeshService[] = [];
  for (const ref of refsOf(policy)) {
    if (isServiceRef(ref)) {
      const svc = ctx.index.serviceByKey.get(`${ns}/${ref.name}`);
      if (svc?.waypoint && !svc.waypoint.problem) out.push(svc);
    } else if (isGatewayRef(ref)) {
      out.push(...ctx.mesh.services.filter((s) => s.waypoint?.waypoint === `${ns}/${ref.name}` && !s.waypoint.problem));
    }
  }
  return out;
}
