import type { RbacMatch, StringMatch, ZtunnelAuthorization } from '../../model/mesh.js';
import type { NearMiss } from '../../model/result.js';
import { cidrContains, compileCidr, parseIp, type CompiledCidr, type NumericIp } from '../../match/ip-match.js';
import { formatStringMatch, stringMatches } from '../../match/string-match.js';
import type { AuthorizationDecision, ConnectionAttributes, PolicyEvaluation } from './types.js';

/** A Match with CIDRs parsed and ports in sets; `empty` Matches never match (rbac.rs). */
export interface CompiledMatch {
  readonly source: RbacMatch;
  readonly empty: boolean;
  readonly srcIps: readonly CompiledCidr[];
  readonly notSrcIps: readonly CompiledCidr[];
  readonly dstIps: readonly CompiledCidr[];
  readonly notDstIps: readonly CompiledCidr[];
  readonly ports: ReadonlySet<number>;
  readonly notPorts: ReadonlySet<number>;
}

/** A ztunnel Authorization compiled once for fast matching, keeping a pointer to its source. */
export interface CompiledZtunnelPolicy {
  readonly policy: ZtunnelAuthorization;
  readonly groups: readonly { readonly ruleIndex: number; readonly clauses: readonly (readonly CompiledMatch[])[]; readonly origins: readonly string[] }[];
}

/** Compiles a ztunnel Authorization. */
export function compileZtunnelAuthorization(policy: ZtunnelAuthorization): CompiledZtunnelPolicy {
  const compileAll = (xs: readonly string[]) => xs.flatMap((x) => compileCidr(x) ?? []);
  return {
    policy,
    groups: policy.groups.map((g) => ({
      ruleIndex: g.ruleIndex,
      origins: g.clauses.map((c) => c.origin),
      clauses: g.clauses.map((c) => c.matches.map((m): CompiledMatch => ({
        source: monomorphic(m), empty: isEmpty(m),
        srcIps: compileAll(m.sourceIps), notSrcIps: compileAll(m.notSourceIps),
        dstIps: compileAll(m.destinationIps), notDstIps: compileAll(m.notDestinationIps),
        ports: new Set(m.destinationPorts), notPorts: new Set(m.notDestinationPorts),
      }))),
    })),
  };
}

/** A copy with one fixed key order, so every Match shares one hidden class and field reads stay fast. */
function monomorphic(m: RbacMatch): RbacMatch {
  return {
    namespaces: m.namespaces, notNamespaces: m.notNamespaces, principals: m.principals, notPrincipals: m.notPrincipals,
    serviceAccounts: m.serviceAccounts, notServiceAccounts: m.notServiceAccounts, sourceIps: m.sourceIps, notSourceIps: m.notSourceIps,
    destinationIps: m.destinationIps, notDestinationIps: m.notDestinationIps, destinationPorts: m.destinationPorts, notDestinationPorts: m.notDestinationPorts,
  };
}

function isEmpty(m: RbacMatch): boolean {
  return Object.values(m).every((v) => (v as readonly unknown[]).length === 0);
}

/** The connection as ztunnel compares it: principal without `spiffe://`, namespace and SA from the SPIFFE ID. */
interface Peer {
  readonly principal: string | null;
  readonly namespace: string | null;
  readonly serviceAccount: string | null;
  readonly src: NumericIp;
  readonly dst: NumericIp;
  readonly port: number;
}

const identityCache = new Map<string, Pick<Peer, 'principal' | 'namespace' | 'serviceAccount'>>();
const ipCache = new Map<string, NumericIp>();
const CACHE_LIMIT = 100_000;

function cached<V>(cache: Map<string, V>, key: string, make: (k: string) => V): V {
  let v = cache.get(key);
  if (v === undefined && !cache.has(key)) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    v = make(key);
    cache.set(key, v);
  }
  return v as V;
}

function identityParts(id: string): Pick<Peer, 'principal' | 'namespace' | 'serviceAccount'> {
  const principal = id.startsWith('spiffe://') ? id.slice(9) : id;
  const m = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return { principal, namespace: m?.[1] ?? null, serviceAccount: m?.[2] ?? null };
}

const NO_IDENTITY = { principal: null, namespace: null, serviceAccount: null };

/** Parsing is cached per identity and per address: a replay sees the same few thousand again and again. */
function peerOf(conn: ConnectionAttributes): Peer {
  const id = conn.srcIdentity === null ? NO_IDENTITY : cached(identityCache, conn.srcIdentity, identityParts);
  return {
    principal: id.principal, namespace: id.namespace, serviceAccount: id.serviceAccount,
    src: cached(ipCache, conn.srcIp, parseIp), dst: cached(ipCache, conn.dstIp, parseIp), port: conn.dstPort,
  };
}

/** Either half of a positive/negative pair: positive empty passes; negative empty never excludes. */
function strings(list: readonly StringMatch[], value: string | null): boolean {
  // No identity: nothing matches, not even `*` (rbac.rs matches_principal / namespaces test).
  if (value === null) return false;
  for (const m of list) if (stringMatches(m, value)) return true;
  return false;
}

/** The parts of a peer's identity ztunnel compares: principal without `spiffe://`, namespace and service account. */
export type IdentityParts = Pick<Peer, 'principal' | 'namespace' | 'serviceAccount'>;

/** The identity parts of a SPIFFE ID, or of no identity (plaintext) when `id` is null. */
export function identityPartsOf(id: string | null): IdentityParts {
  return id === null ? NO_IDENTITY : cached(identityCache, id, identityParts);
}

/** Which identity field of a Match fails for a peer (namespaces, principals, service accounts), or null. */
export function failingIdentityField(s: RbacMatch, p: IdentityParts): string | null {
  if (s.namespaces.length > 0 && !strings(s.namespaces, p.namespace)) return 'namespaces';
  if (s.notNamespaces.length > 0 && strings(s.notNamespaces, p.namespace)) return 'notNamespaces';
  if (s.principals.length > 0 && !strings(s.principals, p.principal)) return 'principals';
  if (s.notPrincipals.length > 0 && strings(s.notPrincipals, p.principal)) return 'notPrincipals';
  if (s.serviceAccounts.length > 0 && !s.serviceAccounts.some((a) => a.namespace === p.namespace && a.serviceAccount === p.serviceAccount)) return 'serviceAccounts';
  if (s.notServiceAccounts.length > 0 && s.notServiceAccounts.some((a) => a.namespace === p.namespace && a.serviceAccount === p.serviceAccount)) return 'notServiceAccounts';
  return null;
}

/** Which field of a Match fails for a peer, or null when the Match matches (`matches_internal`). */
function failingField(m: CompiledMatch, p: Peer): string | null {
  const identity = failingIdentityField(m.source, p);
  if (identity !== null) return identity;
  if (m.srcIps.length > 0 && !m.srcIps.some((c) => cidrContains(c, p.src))) return 'ipBlocks';
  if (m.notSrcIps.length > 0 && m.notSrcIps.some((c) => cidrContains(c, p.src))) return 'notIpBlocks';
  if (m.dstIps.length > 0 && !m.dstIps.some((c) => cidrContains(c, p.dst))) return 'destination.ip';
  if (m.notDstIps.length > 0 && m.notDstIps.some((c) => cidrContains(c, p.dst))) return 'notDestination.ip';
  if (m.ports.size > 0 && !m.ports.has(p.port)) return 'ports';
  if (m.notPorts.size > 0 && m.notPorts.has(p.port)) return 'notPorts';
  return null;
}

/** The index of the first rule of a policy that matches a connection, or -1 (string matcher). */
export function matchingRuleOf(c: CompiledZtunnelPolicy, conn: ConnectionAttributes): number {
  return matchingRule(c, peerOf(conn));
}

/** istio/ztunnel:src/rbac.rs `Authorization::matches`; returns the matching group's rule index or -1. */
function matchingRule(c: CompiledZtunnelPolicy, p: Peer): number {
  // No groups: never matches. A group with no clauses always matches. A clause with no matches matches.
  // Plain loops: this runs for every policy of every flow.
  const groups = c.groups;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as CompiledZtunnelPolicy['groups'][number];
    let all = true;
    for (let k = 0; k < group.clauses.length && all; k++) all = clauseMatches(group.clauses[k] as readonly CompiledMatch[], p);
    if (all) return group.ruleIndex;
  }
  return -1;
}

/** A clause matches when it is empty or any non-empty Match matches (an empty Match is skipped). */
function clauseMatches(clause: readonly CompiledMatch[], p: Peer): boolean {
  if (clause.length === 0) return true;
  for (let i = 0; i < clause.length; i++) {
    const m = clause[i] as CompiledMatch;
    if (!m.empty && failingField(m, p) === null) return true;
  }
  return false;
}

const isPeerAuthDerived = (c: CompiledZtunnelPolicy): boolean => c.policy.origin.kind === 'PeerAuthentication' || c.policy.origin.kind === 'static-strict';

/** The index of the first rule of a policy that matches the connection, or -1 (the same answer as `Authorization::matches`, computed elsewhere). */
export type RuleMatcher = (policy: CompiledZtunnelPolicy) => number;

/**
 * istio/ztunnel:src/state.rs `assert_rbac` (test `assert_rbac_logic_deny_allow`): dry-run policies are
 * only logged; any DENY match denies; no ALLOW policy allows; any ALLOW match allows; otherwise deny.
 * `policies` are in ztunnel's order; the first matching DENY is the one reported.
 */
export function authorizeAtZtunnel(
  policies: readonly CompiledZtunnelPolicy[], conn: ConnectionAttributes, options: { explain?: boolean; match?: RuleMatcher } = {},
): AuthorizationDecision {
  const match = options.match;
  // The peer in string form is needed only by the string matcher and for near misses.
  const peer = match === undefined ? peerOf(conn) : undefined;
  const evaluations: PolicyEvaluation[] = new Array(policies.length);
  let denied = -1;
  let allowed = -1;
  let allowCount = 0;
  for (let i = 0; i < policies.length; i++) {
    const c = policies[i] as CompiledZtunnelPolicy;
    const p = c.policy;
    const rule = match !== undefined ? match(c) : matchingRule(c, peer as Peer);
    evaluations[i] = {
      policy: p.key, action: p.action, matched: rule >= 0, dryRun: p.dryRun,
      rule: rule >= 0 ? rule : undefined, notEnforced: p.dryRun ? 'dry-run' : undefined,
    };
    if (p.dryRun) continue;
    if (p.action === 'DENY') {
      if (rule >= 0 && denied < 0) denied = i;
    } else {
      allowCount++;
      if (rule >= 0 && allowed < 0) allowed = i;
    }
  }
  if (denied >= 0) {
    const e = evaluations[denied] as PolicyEvaluation;
    const reason = isPeerAuthDerived(policies[denied] as CompiledZtunnelPolicy) ? 'strict-mtls-plaintext-denied' : 'deny-policy-matched';
    return { verdict: 'deny', reason, policy: e.policy, rule: e.rule ?? null, evaluations };
  }
  if (allowCount === 0) return { verdict: 'allow', reason: 'no-allow-policies', policy: null, rule: null, evaluations };
  if (allowed >= 0) {
    const e = evaluations[allowed] as PolicyEvaluation;
    return { verdict: 'allow', reason: 'allow-policy-matched', policy: e.policy, rule: e.rule ?? null, evaluations };
  }
  // Near misses cost more than the match itself: by default only the first ALLOW policy gets one.
  const missed = peer ?? peerOf(conn);
  for (let i = 0; i < policies.length; i++) {
    const e = evaluations[i] as PolicyEvaluation;
    if (e.action !== 'ALLOW' || e.dryRun) continue;
    evaluations[i] = { ...e, nearMiss: nearMissOf(policies[i] as CompiledZtunnelPolicy, missed) };
    if (!options.explain) break;
  }
  return { verdict: 'deny', reason: 'no-allow-policy-matched', policy: null, rule: null, evaluations };
}

/**
 * The nearest miss {@link authorizeAtZtunnel} reports (without `explain`) for a connection no ALLOW
 * policy matched: that of the first ALLOW policy that is not dry-run, the others left unevaluated.
 */
export function firstAllowNearMiss(firstAllow: CompiledZtunnelPolicy, conn: ConnectionAttributes): NearMiss | undefined {
  return nearMissOf(firstAllow, peerOf(conn));
}

/** The rule that got furthest (most clauses matched) and the first field that failed in it. */
function nearMissOf(c: CompiledZtunnelPolicy, p: Peer): NearMiss | undefined {
  let best: { rule: number; score: number; miss: NearMiss } | undefined;
  for (const g of c.groups) {
    let score = 0;
    let miss: NearMiss | undefined;
    g.clauses.forEach((clause, i) => {
      if (clauseMatches(clause, p)) {
        score++;
        return;
      }
      if (miss) return;
      const candidate = clause.find((m) => !m.empty);
      const field = candidate ? (failingField(candidate, p) ?? 'match') : 'match';
      miss = describeMiss(g.ruleIndex, g.origins[i] ?? 'from', field, candidate, p);
    });
    if (miss && (!best || score > best.score)) best = { rule: g.ruleIndex, score, miss };
  }
  if (best) return best.miss;
  // istiod dropped every rule (HTTP attributes): the policy can only deny.
  const dropped = c.policy.droppedRules[0];
  return dropped === undefined ? undefined : { rule: dropped, field: 'http-attributes', expected: [], actual: null };
}

function describeMiss(rule: number, origin: string, field: string, m: CompiledMatch | undefined, p: Peer): NearMiss {
  const prefix = origin === 'to' ? 'to.operation' : origin === 'when' ? 'when' : 'from.source';
  const [expected, actual] = m ? expectedAndActual(field, m.source, p) : [['(an HTTP attribute ztunnel cannot see)'], null];
  return { rule, field: `${prefix}.${field}`, expected, actual };
}

/** What a Match wanted in one field, and what the connection had. */
function expectedAndActual(field: string, s: RbacMatch, p: Peer): [readonly string[], string | null] {
  const sa = p.namespace && `${p.namespace}/${p.serviceAccount}`;
  switch (field) {
    case 'namespaces': return [s.namespaces.map(formatStringMatch), p.namespace];
    case 'notNamespaces': return [s.notNamespaces.map(formatStringMatch), p.namespace];
    case 'principals': return [s.principals.map(formatStringMatch), p.principal];
    case 'notPrincipals': return [s.notPrincipals.map(formatStringMatch), p.principal];
    case 'serviceAccounts': return [s.serviceAccounts.map((a) => `${a.namespace}/${a.serviceAccount}`), sa];
    case 'notServiceAccounts': return [s.notServiceAccounts.map((a) => `${a.namespace}/${a.serviceAccount}`), sa];
    case 'ipBlocks': return [s.sourceIps, ipText(p.src)];
    case 'notIpBlocks': return [s.notSourceIps, ipText(p.src)];
    case 'destination.ip': return [s.destinationIps, ipText(p.dst)];
    case 'notDestination.ip': return [s.notDestinationIps, ipText(p.dst)];
    case 'ports': return [s.destinationPorts.map(String), String(p.port)];
    case 'notPorts': return [s.notDestinationPorts.map(String), String(p.port)];
    default: return [['(an HTTP attribute ztunnel cannot see)'], null];
  }
}

function ipText(ip: NumericIp): string | null {
  if (ip === null) return null;
  if (ip.v4) return [ip.value >>> 24, (ip.value >>> 16) & 255, (ip.value >>> 8) & 255, ip.value & 255].join('.');
  return ip.value.toString(16);
}
