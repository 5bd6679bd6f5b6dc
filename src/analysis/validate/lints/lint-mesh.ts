import type { Cluster } from '../../../model/cluster.js';
import type { Diagnostic } from '../../../model/diagnostic.js';
import type { Mesh } from '../../../model/mesh.js';
import { compileRateLimits } from '../../../istiod/envoy-filter-rate-limits.js';
import { lintContext, lintReporter, type PolicyLint } from './lint-context.js';
import { identityRulesExcludePlaintext } from './plaintext.js';
import { ztunnelPorts } from './ports.js';
import { comparisonValue, foreignTrustDomain, pathInnerWildcard, splitFromToRules } from './rule-shape.js';
import { peerAuthenticationSelectsNothing, selectorMatchesNothing, selectorSelectsWaypoint, selectsUnenrolledOnly } from './selection.js';
import { targetRefMissing, targetServiceWithoutWaypoint, waypointBypassable } from './target-refs.js';
import { waypointIdentityAtZtunnel } from './waypoint-identity.js';
import { ztunnelAllowHttpRule, ztunnelDenyHttp, ztunnelDryRunIgnored, ztunnelUnenforcedAction } from './ztunnel-translation.js';

/** Every AuthorizationPolicy lint, in the order their findings are listed for one policy. */
export const POLICY_LINTS: readonly PolicyLint[] = [
  splitFromToRules, pathInnerWildcard, comparisonValue, foreignTrustDomain,
  ztunnelAllowHttpRule, ztunnelDenyHttp, ztunnelUnenforcedAction, ztunnelDryRunIgnored, ztunnelPorts,
  selectorMatchesNothing, selectsUnenrolledOnly, selectorSelectsWaypoint,
  targetRefMissing, targetServiceWithoutWaypoint, waypointBypassable,
  waypointIdentityAtZtunnel, identityRulesExcludePlaintext,
];

/**
 * Lints over what istiod accepted: configurations that are valid but do not do what they appear to do
 * in ambient mode. `cluster` holds only accepted objects; `mesh` is what istiod computed from it.
 * Pure and total: never throws on user input.
 */
export function lintMesh(cluster: Cluster, mesh: Mesh): Diagnostic[] {
  const ctx = lintContext(cluster, mesh);
  const out: Diagnostic[] = [];
  for (const policy of cluster.authorizationPolicies) {
    const { report, diagnostics } = lintReporter('AuthorizationPolicy', policy.meta);
    for (const lint of POLICY_LINTS) lint(policy, ctx, report);
    out.push(...diagnostics);
  }
  for (const pa of cluster.peerAuthentications) {
    const { report, diagnostics } = lintReporter('PeerAuthentication', pa.meta);
    peerAuthenticationSelectsNothing(pa, ctx, report);
    out.push(...diagnostics);
  }
  // Whether a rate limit reaches a proxy depends on the workloads: asked only when the manifests have some.
  for (const d of compileRateLimits(cluster, mesh).diagnostics) {
    if (d.code !== 'envoy-filter-applies-nowhere' || ctx.hasInventory) out.push(d);
  }
  return out;
}
