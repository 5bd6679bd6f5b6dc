import type { Mesh } from '../model/mesh.js';
import type { FlowResult } from '../model/result.js';
import type { RuleRef, PolicyCoverage } from '../model/coverage.js';
export type { RuleRef, DefaultAllowedFlow, PolicyCoverage } from '../model/coverage.js';

/**
 * Coverage of the mesh's enforced policies (AuthorizationPolicies and PeerAuthentication-derived
 * DENYs; dry-run, AUDIT and CUSTOM ones are not enforced and not counted) by the results. Pure.
 */
export function policyCoverage(mesh: Mesh, results: readonly FlowResult[]): PolicyCoverage {
  const hits = new Set<string>();
  for (const r of results) {
    for (const s of r.steps) if (s.effect !== 'info' && s.policy !== undefined && s.rule !== undefined) hits.add(`${s.policy}#${s.rule}`);
  }
  const { rules, dropped } = enforcedRules(mesh);
  const unhit = rules.filter((r) => !hits.has(`${r.policy}#${r.rule}`));
  const allowedWithoutPolicy = results
    .filter((r) => r.verdict === 'allow' && !r.steps.some((s) => s.code === 'allow-policy-matched'))
    .map((r) => ({ id: r.id, reason: r.reason }));
  return { rules: rules.length, hit: rules.length - unhit.length, unhit, dropped, allowedWithoutPolicy };
}

function enforcedRules(mesh: Mesh): { rules: RuleRef[]; dropped: RuleRef[] } {
  const rules: RuleRef[] = [];
  const dropped: RuleRef[] = [];
  for (const p of mesh.ztunnelPolicies) {
    // istiod publishes the static STRICT policy whenever any PeerAuthentication exists; count it only where attached.
    if (p.dryRun || (p.origin.kind === 'static-strict' && !mesh.workloads.some((w) => w.policies.includes(p.key)))) continue;
    for (const g of p.groups) if (!p.droppedRules.includes(g.ruleIndex)) rules.push({ policy: p.key, rule: g.ruleIndex, action: p.action, enforcedBy: 'ztunnel' });
    for (const i of p.droppedRules) dropped.push({ policy: p.key, rule: i, action: p.action, enforcedBy: 'ztunnel' });
  }
  for (const p of mesh.waypointPolicies) {
    if (p.dryRun || (p.action !== 'ALLOW' && p.action !== 'DENY')) continue;
    p.rules.forEach((_, i) => rules.push({ policy: p.key, rule: i, action: p.action, enforcedBy: 'waypoint' }));
  }
  return { rules, dropped };
}
