import type { MeshService, RbacGroup, Waypoint, Workload } from '../../../model/mesh.js';
import { authorizeAtZtunnel } from '../../../dataplane/authz/ztunnel-rbac.js';
import { isZtunnelBound, type LintContext, type PolicyLint } from './lint-context.js';

/** Whether a group constrains the client (identity or source IP), as rules written for sidecars do. */
function keysOnClient(group: RbacGroup): boolean {
  return group.clauses.some((c) => c.origin !== 'to' && c.matches.some((m) =>
    m.principals.length + m.namespaces.length + m.serviceAccounts.length + m.sourceIps.length > 0));
}

/** The waypoints in front of a workload: its own (pod-addressed) and those of the Services that select it. */
function waypointsInFront(w: Workload, ctx: LintContext): { waypoint: Waypoint; via: string; ports: number[] }[] {
  const out: { waypoint: Waypoint; via: string; ports: number[] }[] = [];
  const add = (key: string | undefined, via: string, ports: number[]): void => {
    const waypoint = key === undefined ? undefined : ctx.index.waypointByKey.get(key);
    if (waypoint && !out.some((o) => o.waypoint === waypoint)) out.push({ waypoint, via, ports });
  };
  const containerPorts = w.ports.filter((p) => p.protocol === 'TCP').map((p) => p.containerPort);
  for (const svc of ctx.index.servicesByEndpoint.get(w.uid) ?? []) {
    if (svc.waypoint && !svc.waypoint.problem) add(svc.waypoint.waypoint, `Service ${svc.key}`, targetPorts(svc, w));
  }
  if (w.waypoint && !w.waypoint.problem) add(w.waypoint.waypoint, 'its own istio.io/use-waypoint', containerPorts);
  return out;
}

/** The container ports a Service's traffic lands on (named targetPorts through the pod's port names). */
function targetPorts(svc: MeshService, w: Workload): number[] {
  return svc.ports.flatMap((p) => {
    if (typeof p.targetPort === 'number') return [p.targetPort];
    const named = w.ports.find((c) => c.name === p.targetPort);
    return named ? [named.containerPort] : [];
  });
}

/**
 * Pitfall 1: after a waypoint, the destination ztunnel sees the waypoint's identity and IP
 * (l4-policy docs; baseline_test.go `TestAuthorizationL4`). A ztunnel ALLOW keyed on client identities
 * then denies what the waypoint relays. Checked with the engine: a connection from the waypoint to each
 * target, on the ports its traffic uses, through every policy ztunnel applies there.
 */
export const waypointIdentityAtZtunnel: PolicyLint = (policy, ctx, report) => {
  const authz = ctx.ztunnelPolicyOf(policy);
  if (!authz || !isZtunnelBound(policy) || authz.action !== 'ALLOW' || authz.dryRun || !authz.groups.some(keysOnClient)) return;
  for (const w of ctx.targetsOf(policy)) {
    if (w.enrollment !== 'ambient') continue;
    for (const front of waypointsInFront(w, ctx)) {
      const ports = front.ports.length > 0 ? front.ports : [0];
      const denied = ports.every((port) => authorizeAtZtunnel(ctx.index.ztunnelPoliciesFor(w), {
        srcIdentity: front.waypoint.identity, srcIp: front.waypoint.ips[0] ?? '0.0.0.0', dstIp: w.ips[0] ?? '0.0.0.0', dstPort: port,
      }).reason === 'no-allow-policy-matched');
      if (!denied) continue;
      const principal = front.waypoint.identity.replace(/^spiffe:\/\//, '');
      report('waypoint-identity-at-ztunnel', 'spec.rules', `${w.uid} is behind waypoint ${front.waypoint.key} (via ${front.via}); after the waypoint the destination ztunnel sees the waypoint's identity "${principal}", which no ALLOW rule here admits, so every request relayed by the waypoint is denied. Add principal "${principal}" to a rule, move the client rules to a targetRefs policy on the waypoint, or set PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true on istiod`);
      return;
    }
  }
};
