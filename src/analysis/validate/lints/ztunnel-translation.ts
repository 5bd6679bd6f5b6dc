import type { AuthorizationPolicy } from '../../../model/cluster.js';
import type { Rule } from '../../../model/policy.js';
import { DRY_RUN_ANNOTATION, httpOperationFields, httpSourceFields, L4_WHEN_KEYS } from '../../../istiod/translate-for-ztunnel.js';
import {
  describeTargets, isEmptyMatch, isZtunnelBound, namespaceOf, neverMatches, rulesPhrase, type LintContext, type PolicyLint,
} from './lint-context.js';

/** The HTTP attributes of a rule, as istiod's `handleRule` finds them (operations, sources, when keys). */
export function httpAttributesOf(rule: Rule): string[] {
  const out = new Set<string>();
  for (const t of rule.to ?? []) for (const f of httpOperationFields(t.operation ?? {})) out.add(f);
  for (const f of rule.from ?? []) for (const k of httpSourceFields(f.source ?? {})) out.add(k);
  for (const c of rule.when ?? []) if (!L4_WHEN_KEYS.has(c.key)) out.add(c.key);
  return [...out];
}

/**
 * Pitfall 2: in a ztunnel-bound ALLOW, istiod drops every rule with an HTTP attribute, L4 parts
 * included (authorization.go `handleRule`); with no rule left the policy allows nothing. The finding is
 * read off the compiled ztunnel policy, and the consequence off the other ALLOWs each target receives.
 */
export const ztunnelAllowHttpRule: PolicyLint = (policy, ctx, report) => {
  const authz = ctx.ztunnelPolicyOf(policy);
  if (!authz || authz.action !== 'ALLOW' || authz.droppedRules.length === 0) return;
  const rules = policy.spec.rules ?? [];
  const fields = [...new Set(authz.droppedRules.flatMap((i) => httpAttributesOf(rules[i] ?? {})))].sort();
  const dropped = `${rulesPhrase(authz.droppedRules)} ${authz.droppedRules.length === 1 ? 'uses' : 'use'} HTTP attributes (${fields.join(', ')}), which ztunnel cannot see: istiod drops ${authz.droppedRules.length === 1 ? 'it' : 'them'} whole, L4 parts included`;
  const targets = describeTargets(policy, ctx.mesh.meshConfig.rootNamespace);
  const key = `${namespaceOf(policy.meta)}/${policy.meta.ref.name}`;
  let effect: string;
  if (authz.groups.length > 0) {
    effect = `the policy still allows what ${rulesPhrase(authz.groups.map((g) => g.ruleIndex))} ${authz.groups.length === 1 ? 'allows' : 'allow'}, and what the dropped ${authz.droppedRules.length === 1 ? 'rule was' : 'rules were'} meant to allow is denied at ztunnel`;
  } else if (noOtherAllow(policy, ctx)) {
    effect = `no rule is left, so policy ${key} denies every connection to ${targets}`;
  } else {
    effect = `no rule is left, so policy ${key} allows nothing at ztunnel: connections to ${targets} are denied unless another ALLOW policy allows them`;
  }
  report('ztunnel-allow-http-rule', `spec.rules.${authz.droppedRules[0]}`, `${dropped}; ${effect}. Enforce HTTP rules at a waypoint: bind the policy with targetRefs (Service or waypoint Gateway), or remove the HTTP attributes`);
};

/** True when no workload the policy targets receives another ALLOW at ztunnel (unknown targets count as none). */
function noOtherAllow(policy: AuthorizationPolicy, ctx: LintContext): boolean {
  const self = ctx.ztunnelPolicyOf(policy);
  return ctx.targetsOf(policy).every((w) => ctx.index.ztunnelPoliciesFor(w)
    .every((c) => c.policy === self || c.policy.action !== 'ALLOW' || c.policy.dryRun));
}

/**
 * Pitfall 3: in a ztunnel-bound DENY, istiod strips HTTP fields. A rule whose `from`, `to` or `when` is
 * left with only empty Matches never fires (no-op, fix for istio#61126); one that keeps an L4 field in
 * the same source or operation fires on that L4 part alone (over-denies).
 */
export const ztunnelDenyHttp: PolicyLint = (policy, ctx, report) => {
  const authz = ctx.ztunnelPolicyOf(policy);
  if (!authz || authz.action !== 'DENY' || authz.droppedRules.length === 0) return;
  const rules = policy.spec.rules ?? [];
  const noOp: number[] = [];
  for (const i of authz.droppedRules) {
    const group = authz.groups.find((g) => g.ruleIndex === i);
    const fields = httpAttributesOf(rules[i] ?? {}).sort().join(', ');
    if (!group || neverMatches(group)) {
      noOp.push(i);
      continue;
    }
    const l4 = group.clauses.flatMap((c) => c.matches.filter((m) => !isEmptyMatch(m)).map(() => c.origin));
    report('ztunnel-deny-over-denies', `spec.rules.${i}`, `rule ${i} mixes HTTP attributes (${fields}) with L4 fields in the same ${[...new Set(l4)].join(' and ')}; ztunnel cannot see the HTTP part, so it denies on the L4 part alone: every matching connection is refused, not only the requests meant. Move the HTTP condition to a waypoint policy (targetRefs) and keep only L4 fields here`);
  }
  if (noOp.length === 0) return;
  const all = noOp.length === rules.length;
  report('ztunnel-deny-http-no-op', `spec.rules.${noOp[0]}`, `${rulesPhrase(noOp)} can only match on HTTP attributes, which ztunnel cannot see: at ztunnel ${noOp.length === 1 ? 'it never fires' : 'they never fire'}${all ? ', so this DENY has no effect on ' + describeTargets(policy, ctx.mesh.meshConfig.rootNamespace) : ''} (sidecars and waypoints would instead deny all TCP traffic). Bind the policy to a waypoint with targetRefs, or deny by L4 fields (principals, namespaces, ipBlocks, ports)`);
};

/** Pitfall 8: istiod sends neither AUDIT nor CUSTOM to ztunnel ("ztunnel does not support the X action"). */
export const ztunnelUnenforcedAction: PolicyLint = (policy, ctx, report) => {
  const action = policy.spec.action;
  if (!isZtunnelBound(policy) || (action !== 'AUDIT' && action !== 'CUSTOM')) return;
  report('ztunnel-unenforced-action', 'spec.action', `ztunnel does not support the ${action} action, and without targetRefs no waypoint applies this policy: it has no effect on ${describeTargets(policy, ctx.mesh.meshConfig.rootNamespace)}. Bind it to a waypoint with targetRefs${action === 'CUSTOM' ? ' (waypoints call the ext-authz provider)' : ''}`);
};

/** Pitfall 8: dry-run policies are not sent to ztunnel unless AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true. */
export const ztunnelDryRunIgnored: PolicyLint = (policy, ctx, report) => {
  if (!isZtunnelBound(policy) || policy.meta.annotations[DRY_RUN_ANNOTATION] !== 'true') return;
  if (policy.spec.action !== 'ALLOW' && policy.spec.action !== 'DENY') return;
  if (ctx.mesh.istiodEnv['AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY'] === 'true') return;
  report('ztunnel-dry-run-ignored', `metadata.annotations.${DRY_RUN_ANNOTATION}`, `the policy is annotated ${DRY_RUN_ANNOTATION}=true, and istiod does not send dry-run policies to ztunnel unless AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true: nothing logs what it would have done. Set that istiod env variable, or test the policy another way`);
};
