import type { Mesh } from '../model/mesh.js';
import type { ReasonCode } from '../model/reason.js';
import type { FlowResult } from '../model/result.js';

/** One rule of one policy, at the kind of enforcement point that applies it. */
export interface RuleRef {
  /** `namespace/name`, istiod's name for converted policies. */
  readonly policy: string;
  readonly rule: number;
  readonly action: string;
  readonly enforcedBy: 'waypoint' | 'ztunnel';
}

/** An allowed flow that no ALLOW policy matched anywhere on its path. */
export interface DefaultAllowedFlow {
  readonly id: string;
  /** `no-allow-policies` (enforced, but no ALLOW policy in scope), or why nothing enforced (e.g. `not-captured-udp`). */
  readonly reason: ReasonCode;
}

/**
 * Which policy rules a set of results exercised. A rule counts as hit when it decided a flow at some
 * enforcement point (its ALLOW matched and let the flow on, or its DENY denied it); a rule that
 * matched while another policy decided is not counted.
 */
export interface PolicyCoverage {
  readonly rules: number;
  readonly hit: number;
  /** Enforced rules no flow hit, in mesh order. */
  readonly unhit: readonly RuleRef[];
  /** Rules istiod dropped (ALLOW) or emptied (DENY) for ztunnel because of HTTP attributes: no flow can hit them there. */
  readonly dropped: readonly RuleRef[];
  /** Allowed flows that no ALLOW policy matched: allowed only because no policy was in scope, or nothing enforced. */
  readonly allowedWithoutPolicy: readonly DefaultAllowedFlow[];
}

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
