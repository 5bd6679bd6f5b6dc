import type { AuthorizationPolicy, IstiodEnv } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { RbacClause, RbacGroup, RbacMatch, ServiceAccountMatch, ZtunnelAuthorization } from '../model/mesh.js';
import type { Condition, Operation, Rule, Source } from '../model/policy.js';
import { toStringMatch } from '../match/string-match.js';
import { isIpOrCidr } from './ip-text.js';

export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

/** when-keys istiod can express at L4 (authorization.go `l4WhenAttributes`); every other key counts as HTTP. */
export const L4_WHEN_KEYS: ReadonlySet<string> = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

/** A Match with every field empty: ztunnel never matches it; fields are set on copies. */
export const EMPTY_MATCH: RbacMatch = {
  namespaces: [], notNamespaces: [], principals: [], notPrincipals: [], serviceAccounts: [], notServiceAccounts: [],
  sourceIps: [], notSourceIps: [], destinationIps: [], notDestinationIps: [], destinationPorts: [], notDestinationPorts: [],
};

/** HTTP fields of an operation (authorization.go `httpOperations`). */
export function httpOperationFields(op: Operation): string[] {
  return (['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const).filter((k) => (op[k]?.length ?? 0) > 0);
}

/**
 * HTTP fields of a source (authorization.go `httpSources`), plus trustDomains/notTrustDomains, which the
 * newest istiod reports as unsupported in the same way (semantics §2).
 */
export function httpSourceFields(s: Source): string[] {
  return (['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals', 'trustDomains', 'notTrustDomains'] as const)
    .filter((k) => (s[k]?.length ?? 0) > 0);
}

export interface ZtunnelTranslation {
  readonly authorization: ZtunnelAuthorization | null;
  /** istiod's status messages for the policy (unsupported action, HTTP attributes, dry-run dropped). */
  readonly notes: Diagnostic[];
}

/**
 * istiod's translation of an AuthorizationPolicy for ztunnel (istio/istio:pilot/pkg/serviceregistry/ambient/
 * authorization.go `convertAuthorizationPolicy`, `handleRule`). targetRefs policies, AUDIT and CUSTOM are not
 * sent; in ALLOW policies a rule with any HTTP attribute is dropped whole; in DENY policies HTTP fields are
 * stripped, leaving empty Matches that ztunnel never matches.
 */
export function translateForZtunnel(policy: AuthorizationPolicy, ctx: { rootNamespace: string; istiodEnv: IstiodEnv }): ZtunnelTranslation {
  const spec = policy.spec;
  const ns = policy.meta.ref.namespace ?? 'default';
  const name = policy.meta.ref.name;
  const object = `AuthorizationPolicy ${ns}/${name}`;
  const note = (code: string, message: string): Diagnostic => ({
    severity: 'info', code, object, file: policy.meta.source.file, line: policy.meta.source.line, message: `${object}: ${message}`,
  });
  // "TargetRef is not intended for ztunnel".
  if ((spec.targetRefs?.length ?? 0) > 0) return { authorization: null, notes: [] };
  if (spec.action !== 'ALLOW' && spec.action !== 'DENY') {
    return { authorization: null, notes: [note('ztunnel-unsupported-action', `ztunnel does not support the ${spec.action} action; the policy has no effect at ztunnel`)] };
  }
  const dryRun = policy.meta.annotations[DRY_RUN_ANNOTATION] === 'true';
  // Dry-run is dropped unless AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY (pilot/pkg/features/ambient.go, default false).
  if (dryRun && ctx.istiodEnv['AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY'] !== 'true') {
    return { authorization: null, notes: [note('ztunnel-dry-run-dropped', 'dry-run policies are not sent to ztunnel unless AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true')] };
  }
  // A policy with no selector is namespace-wide, or mesh-wide in the root namespace (`pol.GetSelector() == nil`).
  const scope = spec.selector === undefined ? (ns === ctx.rootNamespace ? 'GLOBAL' : 'NAMESPACE') : 'WORKLOAD_SELECTOR';
  const groups: RbacGroup[] = [];
  const droppedRules: number[] = [];
  const httpFields = new Set<string>();
  (spec.rules ?? []).forEach((rule, ruleIndex) => {
    const { clauses, http } = handleRule(rule, ns);
    http.forEach((h) => httpFields.add(h));
    // "L7 policies never match for ALLOW": the whole rule is dropped.
    if (spec.action === 'ALLOW' && http.length > 0) {
      droppedRules.push(ruleIndex);
      return;
    }
    if (spec.action === 'DENY' && http.length > 0) droppedRules.push(ruleIndex);
    groups.push({ ruleIndex, clauses });
  });
  const notes: Diagnostic[] = [];
  if (httpFields.size > 0) {
    const boilerplate = httpBoilerplate(spec.action, groups);
    notes.push(note('ztunnel-http-attributes', `ztunnel does not support HTTP attributes (found: ${[...httpFields].sort().join(', ')}). In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${boilerplate}`));
  }
  return {
    authorization: { key: `${ns}/${name}`, name, namespace: ns, scope, action: spec.action, groups, dryRun, origin: { kind: 'AuthorizationPolicy', ref: policy.meta.ref, source: policy.meta.source }, droppedRules },
    notes,
  };
}

/**
 * The end of istiod's status message for a policy with HTTP attributes (convertAuthorizationPolicy:
 * `httpDenyNoEffectBoilerplate` when no group of a DENY can fire after the HTTP fields are omitted,
 * `hasEffectiveRules`; `httpDenyMixedBoilerplate`; `httpAllowRuleBoilerplate`).
 */
function httpBoilerplate(action: 'ALLOW' | 'DENY', groups: readonly RbacGroup[]): string {
  if (action === 'DENY' && !groups.some(isEffective)) {
    return 'After omitting unsupported HTTP attributes, this DENY policy has no enforceable rules at ztunnel and will have no effect. '
      + 'Deploy a waypoint proxy and use a targetRef to enforce this policy.';
  }
  if (action === 'DENY') return 'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.';
  return 'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';
}

/** `hasEffectiveRules` for one group: no clauses (match-all), or every clause with a non-empty Match (empty ones are skipped by ztunnel). */
function isEffective(g: RbacGroup): boolean {
  return g.clauses.every((c) => c.matches.some((m) => !isMatchEmpty(m)));
}

/** `isMatchEmpty`: no field populated. */
function isMatchEmpty(m: RbacMatch): boolean {
  return Object.values(m).every((v) => !Array.isArray(v) || v.length === 0);
}

/** One rule to ztunnel clauses: `to` matches, then `from` matches, then one clause per `when` (handleRule order). */
function handleRule(rule: Rule, ruleNamespace: string): { clauses: RbacClause[]; http: string[] } {
  const http: string[] = [];
  const to = (rule.to ?? []).map((t): RbacMatch => {
    const op = t.operation ?? {};
    http.push(...httpOperationFields(op));
    return { ...EMPTY_MATCH, destinationPorts: ports(op.ports), notDestinationPorts: ports(op.notPorts) };
  });
  const from = (rule.from ?? []).map((f): RbacMatch => {
    const s = f.source ?? {};
    http.push(...httpSourceFields(s));
    return {
      ...EMPTY_MATCH,
      sourceIps: cidrs(s.ipBlocks), notSourceIps: cidrs(s.notIpBlocks),
      namespaces: (s.namespaces ?? []).map(toStringMatch), notNamespaces: (s.notNamespaces ?? []).map(toStringMatch),
      serviceAccounts: serviceAccounts(s.serviceAccounts, ruleNamespace), notServiceAccounts: serviceAccounts(s.notServiceAccounts, ruleNamespace),
      principals: (s.principals ?? []).map(toStringMatch), notPrincipals: (s.notPrincipals ?? []).map(toStringMatch),
    };
  });
  const clauses: RbacClause[] = [];
  if (to.length > 0) clauses.push({ origin: 'to', matches: to });
  if (from.length > 0) clauses.push({ origin: 'from', matches: from });
  for (const when of rule.when ?? []) {
    if (!L4_WHEN_KEYS.has(when.key)) http.push(when.key);
    clauses.push({ origin: 'when', matches: [whenMatch(when)] });
  }
  return { clauses, http };
}

function whenMatch(c: Condition): RbacMatch {
  const v = c.values ?? [];
  const nv = c.notValues ?? [];
  switch (c.key) {
    case 'source.namespace': return { ...EMPTY_MATCH, namespaces: v.map(toStringMatch), notNamespaces: nv.map(toStringMatch) };
    case 'source.principal': return { ...EMPTY_MATCH, principals: v.map(toStringMatch), notPrincipals: nv.map(toStringMatch) };
    case 'source.ip': return { ...EMPTY_MATCH, sourceIps: cidrs(v), notSourceIps: cidrs(nv) };
    case 'destination.ip': return { ...EMPTY_MATCH, destinationIps: cidrs(v), notDestinationIps: cidrs(nv) };
    case 'destination.port': return { ...EMPTY_MATCH, destinationPorts: ports(v), notDestinationPorts: ports(nv) };
    // Any other key has no L4 field: the Match stays empty and never matches.
    default: return EMPTY_MATCH;
  }
}

/** `stringToPort`: integers 0..65535; anything else is skipped. */
function ports(values: readonly string[] | undefined): number[] {
  return (values ?? []).flatMap((p) => (/^\d+$/.test(p) && Number(p) <= 65535 ? [Number(p)] : []));
}

/** `stringToIP`: valid CIDRs and bare IPs; invalid entries are skipped. */
function cidrs(values: readonly string[] | undefined): string[] {
  return (values ?? []).filter((v) => v !== '' && isIpOrCidr(v));
}

/** `stringToServiceAccountMatch`: `ns/sa`, or `sa` in the policy's namespace. */
function serviceAccounts(values: readonly string[] | undefined, ruleNamespace: string): ServiceAccountMatch[] {
  return (values ?? []).map((v) => {
    const i = v.indexOf('/');
    return i >= 0 ? { namespace: v.slice(0, i), serviceAccount: v.slice(i + 1) } : { namespace: ruleNamespace, serviceAccount: v };
  });
}
