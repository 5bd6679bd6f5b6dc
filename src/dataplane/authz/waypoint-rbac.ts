import type { MeshConfig } from '../../model/cluster.js';
import type { EnvoyAuthorization } from '../../model/mesh.js';
import type { Condition, Operation, Rule, Source } from '../../model/policy.js';
import type { NearMiss } from '../../model/result.js';
import { cidrContains, compileCidr, parseIp, type NumericIp } from '../../match/ip-match.js';
import { compilePath, normalizePath, pathMatches } from '../../match/path-match.js';
import { stringMatches, toStringMatch } from '../../match/string-match.js';
import type { AuthorizationDecision, PolicyEvaluation, RequestAttributes } from './types.js';
import { customTreatments } from './custom-action.js';
import { claimPath, claimStrings, claimValue } from './jwt-claims.js';

/** A policy ready for an Envoy (waypoint or sidecar); rules stay in Istio's shape and are matched with Envoy semantics. */
export interface CompiledWaypointPolicy {
  readonly policy: EnvoyAuthorization;
  /** Per rule: whether it uses HTTP-only attributes (matters for plain TCP). */
  readonly httpRules: readonly boolean[];
}

export function compileWaypointAuthorization(policy: EnvoyAuthorization): CompiledWaypointPolicy {
  return { policy, httpRules: policy.rules.map(usesHttp) };
}

const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const HTTP_SOURCE = ['requestPrincipals', 'notRequestPrincipals'] as const;
const isHttpKey = (key: string): boolean => key.startsWith('request.');

/** Whether a rule names an attribute only an HTTP chain has (pilot/pkg/security/authz/model/model.go). */
function usesHttp(rule: Rule): boolean {
  return (rule.to ?? []).some((t) => HTTP_OPERATION.some((k) => (t.operation?.[k]?.length ?? 0) > 0))
    || (rule.from ?? []).some((f) => HTTP_SOURCE.some((k) => (f.source?.[k]?.length ?? 0) > 0))
    || (rule.when ?? []).some((w) => isHttpKey(w.key));
}

interface Ctx {
  readonly req: RequestAttributes;
  readonly src: NumericIp;
  readonly dst: NumericIp;
  readonly principals: readonly string[];
  /** Plain TCP in a DENY policy: HTTP conditions are dropped (model.go `rule.checkError`, builder forTCP). */
  readonly tcpDeny: boolean;
}

/**
 * Envoy RBAC at a waypoint or sidecar (istio/istio:pilot/pkg/security/authz/builder/builder.go), in
 * filter order: CUSTOM (a provider istiod cannot use turns its rules into DENY rules; a usable one asks
 * its ext_authz server, see custom-action.ts), AUDIT (logs only), DENY, then ALLOW; with no ALLOW policy
 * the request is allowed. On plain TCP an ALLOW rule with HTTP attributes never matches, while DENY and
 * CUSTOM rules (built with the DENY action) drop them and keep the rest.
 */
export function authorizeAtWaypoint(
  policies: readonly CompiledWaypointPolicy[], req: RequestAttributes, mesh: Pick<MeshConfig, 'trustDomain' | 'trustDomainAliases' | 'extAuthzProviders'>,
  options: { explain?: boolean; multipleCustomProviders?: boolean } = {},
): AuthorizationDecision {
  const base = { req, src: parseIp(req.srcIp), dst: parseIp(req.dstIp), principals: peerPrincipals(req.srcIdentity, mesh) };
  const tcp = req.http === undefined;
  const custom = customTreatments(policies, { meshConfig: mesh, multipleProviders: options.multipleCustomProviders === true }, tcp);
  const evaluations: PolicyEvaluation[] = [];
  let customDenied: PolicyEvaluation | undefined;
  let extAuthz: PolicyEvaluation | undefined;
  let denied: PolicyEvaluation | undefined;
  let allowed: PolicyEvaluation | undefined;
  let allowCount = 0;
  let undecidable = false;
  for (const c of policies) {
    const p = c.policy;
    const denyShape = p.action === 'DENY' || p.action === 'CUSTOM';
    const ctx: Ctx = { ...base, tcpDeny: tcp && denyShape };
    let rule = -1;
    p.rules.forEach((r, i) => {
      if (rule >= 0) return;
      if (tcp && !denyShape && c.httpRules[i]) return;
      if (ruleMatches(r, ctx)) rule = i;
    });
    const unknownL7 = req.l7Unknown !== undefined && c.httpRules.some(Boolean);
    const treatment = p.action === 'CUSTOM' ? custom.get(p.provider ?? '') : undefined;
    const notEnforced = p.dryRun ? 'dry-run' : p.action === 'AUDIT' ? 'audit' : treatment === 'ext-authz' || treatment === 'ignored' ? 'custom' : undefined;
    const e: PolicyEvaluation = {
      policy: p.key, action: p.action, matched: rule >= 0, dryRun: p.dryRun,
      ...(rule >= 0 ? { rule } : {}), ...(notEnforced ? { notEnforced } : {}), ...(unknownL7 ? { undecidable: true } : {}),
    };
    evaluations.push(e);
    if (treatment === 'ext-authz' && !p.dryRun && rule >= 0) extAuthz ??= e;
    if (notEnforced) continue;
    undecidable ||= unknownL7;
    if (p.action === 'CUSTOM' && rule >= 0) customDenied ??= e;
    if (p.action === 'DENY' && rule >= 0 && !denied) denied = e;
    if (p.action === 'ALLOW') {
      allowCount++;
      if (rule >= 0 && !allowed) allowed = e;
    }
  }
  if (customDenied) return { verdict: 'deny', reason: 'custom-provider-invalid', policy: customDenied.policy, rule: customDenied.rule ?? null, evaluations };
  const decided = decide(denied, allowed, allowCount, evaluations, policies, base, options.explain === true);
  // A matching CUSTOM rule hands the request to ext_authz before DENY and ALLOW: when the rest allows,
  // the outcome is the provider's, which the simulation does not know.
  if (extAuthz && decided.verdict === 'allow') return { ...decided, reason: 'custom-provider-undecidable', policy: extAuthz.policy, rule: extAuthz.rule ?? null };
  // L7 attributes unknown (TLS, HTTP/2): the verdict is what follows if HTTP rules do not match; say so.
  return undecidable ? { ...decided, reason: 'l7-undecidable' } : decided;
}

function decide(
  denied: PolicyEvaluation | undefined, allowed: PolicyEvaluation | undefined, allowCount: number,
  evaluations: PolicyEvaluation[], policies: readonly CompiledWaypointPolicy[], base: Omit<Ctx, 'tcpDeny'>, explain: boolean,
): AuthorizationDecision {
  if (denied) return { verdict: 'deny', reason: 'deny-policy-matched', policy: denied.policy, rule: denied.rule ?? null, evaluations };
  if (allowCount === 0) return { verdict: 'allow', reason: 'no-allow-policies', policy: null, rule: null, evaluations };
  if (allowed) return { verdict: 'allow', reason: 'allow-policy-matched', policy: allowed.policy, rule: allowed.rule ?? null, evaluations };
  let explained = 0;
  const withMisses = evaluations.map((e, i) => {
    const c = policies[i] as CompiledWaypointPolicy;
    if (e.action !== 'ALLOW' || e.notEnforced || (!explain && explained > 0)) return e;
    explained++;
    const miss = nearMiss(c, { ...base, tcpDeny: false });
    return miss ? { ...e, nearMiss: miss } : e;
  });
  return { verdict: 'deny', reason: 'no-allow-policy-matched', policy: null, rule: null, evaluations: withMisses };
}

/**
 * The principals a peer presents to Envoy: its SPIFFE ID without `spiffe://`, plus the same path under
 * every trust-domain alias, since istiod rewrites `cluster.local` principals to the mesh trust domain and
 * its aliases (pilot/pkg/security/trustdomain/bundle.go `ReplaceTrustDomainAliases`).
 */
function peerPrincipals(identity: string | null, mesh: Pick<MeshConfig, 'trustDomain' | 'trustDomainAliases'>): string[] {
  if (identity === null) return [];
  const principal = identity.replace(/^spiffe:\/\//, '');
  const slash = principal.indexOf('/');
  const td = principal.slice(0, slash);
  const rest = principal.slice(slash);
  const domains = new Set([td]);
  if (td === mesh.trustDomain || mesh.trustDomainAliases.includes(td)) {
    domains.add('cluster.local');
    domains.add(mesh.trustDomain);
    for (const a of mesh.trustDomainAliases) domains.add(a);
  }
  return [...domains].map((d) => `${d}${rest}`);
}

type Field = { readonly field: string; readonly expected: readonly string[]; readonly actual: string | null };

function ruleMatches(rule: Rule, ctx: Ctx): boolean {
  return firstFailure(rule, ctx) === null;
}

/** The first condition of a rule that fails, or null when every condition holds. */
function firstFailure(rule: Rule, ctx: Ctx): Field | null {
  if (rule.from && rule.from.length > 0) {
    const fails = rule.from.map((f) => sourceFailure(f.source ?? {}, ctx));
    if (!fails.some((f) => f === null)) return fails[0] ?? null;
  }
  if (rule.to && rule.to.length > 0) {
    const fails = rule.to.map((t) => operationFailure(t.operation ?? {}, ctx));
    if (!fails.some((f) => f === null)) return fails[0] ?? null;
  }
  for (const c of rule.when ?? []) {
    const f = conditionFailure(c, ctx);
    if (f) return f;
  }
  return null;
}

/** Checks a positive/negative pair of lists; returns the failure, or null. */
function pair(name: string, pos: readonly string[] | undefined, neg: readonly string[] | undefined, actual: readonly string[] | null, test: (pattern: string, value: string) => boolean, shown: string | null): Field | null {
  const any = (list: readonly string[]) => actual !== null && list.some((p) => actual.some((a) => test(p, a)));
  if (pos && pos.length > 0 && !any(pos)) return { field: name, expected: pos, actual: shown };
  if (neg && neg.length > 0 && any(neg)) return { field: `not${name[0]?.toUpperCase()}${name.slice(1)}`, expected: neg, actual: shown };
  return null;
}

const str = (pattern: string, value: string): boolean => stringMatches(toStringMatch(pattern), value);
const cidr = (pattern: string, value: string): boolean => {
  const c = compileCidr(pattern);
  return c !== null && cidrContains(c, parseIp(value));
};

function sourceFailure(s: Source, ctx: Ctx): Field | null {
  const principal = ctx.principals[0] ?? null;
  const ns = principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] ?? null : null;
  const sa = principal ? /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal) : null;
  const saValue = sa ? `${sa[1]}/${sa[2]}` : null;
  const checks: (Field | null)[] = [
    pair('principals', s.principals, s.notPrincipals, principal ? ctx.principals : null, str, principal),
    pair('namespaces', s.namespaces, s.notNamespaces, ns ? [ns] : null, str, ns),
    pair('serviceAccounts', s.serviceAccounts, s.notServiceAccounts, saValue ? [saValue] : null, (p, v) => (p.includes('/') ? p === v : v.endsWith(`/${p}`)), saValue),
    pair('ipBlocks', s.ipBlocks, s.notIpBlocks, [ctx.req.srcIp], cidr, ctx.req.srcIp),
    pair('remoteIpBlocks', s.remoteIpBlocks, s.notRemoteIpBlocks, [ctx.req.srcIp], cidr, ctx.req.srcIp),
    pair('trustDomains', s.trustDomains, s.notTrustDomains, principal ? ctx.principals.map((p) => p.split('/')[0] as string) : null, str, principal?.split('/')[0] ?? null),
  ];
  if (!ctx.tcpDeny) {
    const rp = ctx.req.jwt ? `${ctx.req.jwt.iss}/${ctx.req.jwt.sub}` : null;
    checks.push(pair('requestPrincipals', s.requestPrincipals, s.notRequestPrincipals, rp ? [rp] : null, str, rp));
  }
  return checks.find((c) => c !== null) ?? null;
}

function operationFailure(op: Operation, ctx: Ctx): Field | null {
  const port = String(ctx.req.dstPort);
  const checks: (Field | null)[] = [pair('ports', op.ports, op.notPorts, [port], (p, v) => p === v, port)];
  const http = ctx.req.http;
  if (!ctx.tcpDeny) {
    // The whole :authority, port included, case-insensitively (matcher/header.go `HostMatcher`,
    // model/generator.go `hostGenerator`); istiod sets no port stripping on sidecar or waypoint listeners.
    const host = http?.host ?? http?.headers['host'] ?? null;
    const path = http ? normalizePath(http.path) : null;
    checks.push(
      pair('hosts', op.hosts, op.notHosts, host !== null ? [host.toLowerCase()] : null, (p, v) => str(p.toLowerCase(), v), host),
      pair('methods', op.methods, op.notMethods, http ? [http.method] : null, (p, v) => p === v, http?.method ?? null),
      pair('paths', op.paths, op.notPaths, path !== null ? [path] : null, (p, v) => pathMatches(compilePath(p), v), path),
    );
  }
  return checks.find((c) => c !== null) ?? null;
}

function conditionFailure(c: Condition, ctx: Ctx): Field | null {
  if (ctx.tcpDeny && isHttpKey(c.key)) return null;
  const claim = claimPath(c.key);
  if (claim !== null) {
    const v = claimValue(ctx.req.jwt?.claims, claim);
    const shown = v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v) ?? null;
    const f = pair(`when[${c.key}]`, c.values, c.notValues, claimStrings(v), str, shown);
    return f ? { ...f, field: `when[${c.key}]` } : null;
  }
  const value = conditionValue(c.key, ctx);
  const test = c.key === 'source.ip' || c.key === 'destination.ip' || c.key === 'remote.ip' ? cidr : str;
  const f = pair(`when[${c.key}]`, c.values, c.notValues, value === null ? null : [value], test, value);
  return f ? { ...f, field: `when[${c.key}]` } : null;
}

function conditionValue(key: string, ctx: Ctx): string | null {
  const h = /^request\.headers\[(.+)\]$/.exec(key);
  if (h) return ctx.req.http?.headers[(h[1] as string).toLowerCase()] ?? null;
  const principal = ctx.principals[0] ?? null;
  switch (key) {
    case 'source.ip': case 'remote.ip': return ctx.req.srcIp;
    case 'destination.ip': return ctx.req.dstIp;
    case 'destination.port': return String(ctx.req.dstPort);
    case 'source.principal': return principal;
    case 'source.namespace': return principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] ?? null : null;
    case 'source.serviceAccount': return principal ? (/\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal)?.slice(1).join('/') ?? null) : null;
    case 'request.auth.principal': return ctx.req.jwt ? `${ctx.req.jwt.iss}/${ctx.req.jwt.sub}` : null;
    default: return null;
  }
}

/**
 * The nearest miss {@link authorizeAtWaypoint} reports (without `explain`) for a request no ALLOW
 * policy matched: that of the first enforced ALLOW policy, the others left unevaluated.
 */
export function firstAllowNearMiss(
  policies: readonly CompiledWaypointPolicy[], req: RequestAttributes, mesh: Pick<MeshConfig, 'trustDomain' | 'trustDomainAliases'>,
): NearMiss | undefined {
  const c = policies.find((p) => p.policy.action === 'ALLOW' && !p.policy.dryRun);
  if (c === undefined) return undefined;
  return nearMiss(c, { req, src: parseIp(req.srcIp), dst: parseIp(req.dstIp), principals: peerPrincipals(req.srcIdentity, mesh), tcpDeny: false });
}

/** The ALLOW rule that got furthest and its first failing field (first rule when all fail at once). */
function nearMiss(c: CompiledWaypointPolicy, ctx: Ctx): NearMiss | undefined {
  const first = c.policy.rules[0];
  if (!first) return undefined;
  const f = firstFailure(first, ctx);
  return f ? { rule: 0, field: f.field, expected: f.expected, actual: f.actual } : undefined;
}

/**
 * Which `from` sources of the policies' rules a peer identity satisfies, one character each in rule
 * order. When no rule reads addresses, `when` conditions or request principals, the rest of Envoy's
 * decision reads only the request, so peers with the same signature get the same decision.
 */
export function sourceSignature(
  policies: readonly CompiledWaypointPolicy[], identity: string | null, mesh: Pick<MeshConfig, 'trustDomain' | 'trustDomainAliases'>,
): string {
  const req = { srcIdentity: identity, srcIp: '', dstIp: '', dstPort: 0 };
  const ctx: Ctx = { req, src: null, dst: null, principals: peerPrincipals(identity, mesh), tcpDeny: false };
  let signature = '';
  for (const c of policies) {
    for (const rule of c.policy.rules) for (const f of rule.from ?? []) signature += sourceFailure(f.source ?? {}, ctx) === null ? '1' : '0';
    signature += '|';
  }
  return signature;
}
