import type { Rule } from '../../../model/policy.js';
import { display } from '../../../istiod/admission/report-problem.js';
import { isZtunnelBound, type PolicyLint } from './lint-context.js';

const has = (xs: readonly unknown[] | undefined): boolean => (xs?.length ?? 0) > 0;
const onlyFrom = (r: Rule): boolean => has(r.from) && !has(r.to) && !has(r.when);
const onlyTo = (r: Rule): boolean => has(r.to) && !has(r.from) && !has(r.when);

/**
 * A rule with only `from` beside a rule with only `to`: rules are ORed (authorization_policy.proto
 * `Rule`), so each half matches on its own. Almost always meant as one rule `{from, to}`.
 */
export const splitFromToRules: PolicyLint = (policy, _ctx, report) => {
  const rules = policy.spec.rules ?? [];
  const from = rules.findIndex(onlyFrom);
  const to = rules.findIndex(onlyTo);
  if (from < 0 || to < 0) return;
  const broader = policy.spec.action === 'ALLOW' ? 'allows' : policy.spec.action === 'DENY' ? 'denies' : 'matches';
  report('split-from-to-rules', `spec.rules.${Math.max(from, to)}`,
    `rule ${from} has only "from" and rule ${to} only "to"; rules are ORed, so the policy ${broader} every operation from those sources and those operations from every source. If one rule was meant, write "from" and "to" in the same list item`);
};

/**
 * `*` inside a path is a literal character: only a leading or trailing `*` is a wildcard
 * (authorization_policy.proto; ztunnel/Envoy `stringToMatch`); path templates use `{*}` and `{**}`.
 */
export const pathInnerWildcard: PolicyLint = (policy, _ctx, report) => {
  (policy.spec.rules ?? []).forEach((rule, i) => (rule.to ?? []).forEach((t, j) => {
    for (const field of ['paths', 'notPaths'] as const) {
      (t.operation?.[field] ?? []).forEach((path, k) => {
        const bare = path.replace(/\{\*\*?\}/g, '');
        if (!bare.slice(1, -1).includes('*')) return;
        const where = `spec.rules.${i}.to.${j}.operation.${field}.${k}`;
        const suggestion = path.split('/').map((seg) => (seg === '*' || seg === '**' ? '{*}' : seg)).join('/');
        report('path-inner-wildcard', where, `"${path}" in ${display(where)} is matched literally: "*" is a wildcard only as the first or last character${suggestion !== path ? `; to match any one segment write "${suggestion}"` : '; use {*} for one path segment or {**} for the rest'}`);
      });
    }
  }));
};

const COMPARISON = /^\s*(?:[<>]=?|==|!=|=<|=>)\s*-?\d/;

/** Header and `when` values are strings matched exactly (or by prefix/suffix); `">100"` is no comparison. */
export const comparisonValue: PolicyLint = (policy, _ctx, report) => {
  (policy.spec.rules ?? []).forEach((rule, i) => (rule.when ?? []).forEach((c, j) => {
    for (const field of ['values', 'notValues'] as const) {
      (c[field] ?? []).forEach((v, k) => {
        if (!COMPARISON.test(v)) return;
        const where = `spec.rules.${i}.when.${j}.${field}.${k}`;
        report('comparison-value', where, `"${v}" in ${display(where)} (${c.key}) is compared as a literal string, not as a number: it matches only a value that is exactly "${v}"${field === 'notValues' ? ', so this notValues excludes almost nothing' : ''}. AuthorizationPolicy has no comparison operators; list the values, or check the range in the application or an ext-authz (CUSTOM) provider`);
      });
    }
  }));
};

/**
 * Principals carry a trust domain. For Envoy (waypoints, sidecars) istiod rewrites a principal whose
 * trust domain is the mesh's, one of `trustDomainAliases`, or `cluster.local` into one principal per
 * domain of that set (pilot/pkg/security/trustdomain/bundle.go `ReplaceTrustDomainAliases`, called from
 * pilot/pkg/security/authz/model/model.go), so an alias there is as good as the trust domain. For
 * ztunnel istiod copies principals as written (pilot/pkg/serviceregistry/ambient/authorization.go
 * `stringToMatch`) and ztunnel compares them literally (istio/ztunnel:src/rbac.rs `matches_principal`):
 * aliases are not expanded there, so a principal in an alias domain matches only peers that present it.
 */
export const foreignTrustDomain: PolicyLint = (policy, ctx, report) => {
  const { trustDomain, trustDomainAliases } = ctx.mesh.meshConfig;
  const ztunnel = isZtunnelBound(policy);
  const check = (value: string, where: string): void => {
    const td = value.split('/')[0] ?? '';
    if (!value.includes('/') || td.includes('*') || td === trustDomain) return;
    if (!ztunnel && (td === 'cluster.local' || trustDomainAliases.includes(td))) return;
    const alias = trustDomainAliases.includes(td);
    const why = !ztunnel
      ? 'it matches only peers from that trust domain'
      : alias
        ? `"${td}" is a trust domain alias, but istiod does not expand aliases for ztunnel, which compares principals literally: it matches only peers presenting "${td}", never this mesh's workloads of that service account`
        : 'ztunnel compares principals literally, so it never matches a workload of this mesh';
    const fix = ztunnel && alias
      ? `Add "${trustDomain}${value.slice(td.length)}" beside it`
      : `Write "${trustDomain}${value.slice(td.length)}", or add "${td}" to trustDomainAliases and bind the policy to a waypoint if peers from it are expected`;
    report('foreign-trust-domain', where, `principal "${value}" in ${display(where)} has trust domain "${td}", but the mesh trust domain is "${trustDomain}" (mesh config trustDomain): ${why}. ${fix}`);
  };
  (policy.spec.rules ?? []).forEach((rule, i) => {
    (rule.from ?? []).forEach((f, j) => {
      for (const field of ['principals', 'notPrincipals'] as const) {
        (f.source?.[field] ?? []).forEach((v, k) => check(v, `spec.rules.${i}.from.${j}.source.${field}.${k}`));
      }
    });
    (rule.when ?? []).forEach((c, j) => {
      if (c.key !== 'source.principal') return;
      (c.values ?? []).forEach((v, k) => check(v, `spec.rules.${i}.when.${j}.values.${k}`));
      (c.notValues ?? []).forEach((v, k) => check(v, `spec.rules.${i}.when.${j}.notValues.${k}`));
    });
  });
};
