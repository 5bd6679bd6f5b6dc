import type { RbacMatch, StringMatch, ZtunnelAuthorization } from '../../model/mesh.js';
import type { NearMiss } from '../../model/result.js';
import { cidrContains, compileCidr, parseIp, type CompiledCidr, type NumericIp } from './ip-match.js';
import { formatStringMatch, stringMatches } from './string-match.js';
import type { AuthorizationDecision, ConnectionAttributes, PolicyEvaluation } from './types.js';

/** A Match with CIDRs parsed and ports in sets; `empty` Matches never match (rbac.rs). */
interface CompiledMatch {
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
        source: m, empty: isEmpty(m),
        srcIps: compileAll(m.sourceIps), notSrcIps: compileAll(m.notSourceIps),
        dstIps: compileAll(m.destinationIps), notDstIps: compileAll(m.notDestinationIps),
        ports: new Set(m.destinationPorts), notPorts: new Set(m.notDestinationPorts),
      }))),
    })),
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

function peerOf(conn: ConnectionAttributes): Peer {
  const id = conn.srcIdentity;
  const principal = id === null ? null : id.startsWith('spiffe://') ? id.slice(9) : id;
  const m = principal === null ? null : /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  return { principal, namespace: m?.[1] ?? null, serviceAccount: m?.[2] ?? null, src: parseIp(conn.srcIp), dst: parseIp(conn.dstIp), port: conn.dstPort };
}

/** Either half of a positive/negative pair: positive empty passes; negative empty never excludes. */
function strings(list: readonly StringMatch[], value: string | null): boolean {
  // No identity: nothing matches, not even `*` (rbac.rs matches_principal / namespaces test).
  if (value === null) return false;
  for (const m of list) if (stringMatches(m, value)) return true;
  return false;
}

/** Which field of a Match fails for a peer, or null when the Match matches (`matches_internal`). */
function failingField(m: CompiledMatch, p: Peer): string | null {
  const s = m.source;
  if (s.namespaces.length > 0 && !strings(s.namespaces, p.namespace)) return 'namespaces';
  if (s.notNamespaces.length > 0 && strings(s.notNamespaces, p.namespace)) return 'notNamespaces';
  if (s.principals.length > 0 && !strings(s.principals, p.principal)) return 'principals';
  if (s.notPrincipals.length > 0 && strings(s.notPrincipals, p.principal)) return 'notPrincipals';
  if (s.serviceAccounts.length > 0 && !s.serviceAccounts.some((a) => a.namespace === p.namespace && a.serviceAccount === p.serviceAccount)) return 'serviceAccounts';
  if (s.notServiceAccounts.length > 0 && s.notServiceAccounts.some((a) => a.namespace === p.namespace && a.serviceAccount === p.serviceAccount)) return 'notServiceAccounts';
  if (m.srcIps.length > 0 && !m.srcIps.some((c) => cidrContains(c, p.src))) return 'ipBlocks';
  if (m.notSrcIps.length > 0 && m.notSrcIps.some((c) => cidrContains(c, p.src))) return 'notIpBlocks';
  if (m.dstIps.length > 0 && !m.dstIps.some((c) => cidrContains(c, p.dst))) return 'destination.ip';
  if (m.notDstIps.length > 0 && m.notDstIps.some((c) => cidrContains(c, p.dst))) return 'notDestination.ip';
  if (m.ports.size > 0 && !m.ports.has(p.port)) return 'ports';
  if (m.notPorts.size > 0 && m.notPorts.has(p.port)) return 'notPorts';
  return null;
}

/** istio/ztunnel:src/rbac.rs `Authorization::matches`; returns the matching group's rule index or -1. */
function matchingRule(c: CompiledZtunnelPolicy, p: Peer): number {
  // No groups: never matches. A group with no clauses always matches. A clause with no matches matches.
  for (const g of c.groups) {
    let all = true;
    for (const clause of g.clauses) {
      if (clause.length === 0) continue;
      // An empty Match is skipped: it can never match.
      if (!clause.some((m) => !m.empty && failingField(m, p) === null)) {
        all = false;
        break;
      }
    }
    if (all) return g.ruleIndex;
  }
  return -1;
}

const isPeerAuthDerived = (c: CompiledZtunnelPolicy): boolean => c.policy.origin.kind === 'PeerAuthentication' || c.policy.origin.kind === 'static-strict';

/**
 * istio/ztunnel:src/state.rs `assert_rbac` (test `assert_rbac_logic_deny_allow`): dry-run policies are
 * only logged; any DENY match denies; no ALLOW policy allows; any ALLOW match allows; otherwise deny.
 * `policies` are in ztunnel's order; the first matching DENY is the one reported.
 */
export function authorizeAtZtunnel(policies: readonly CompiledZtunnelPolicy[], conn: ConnectionAttributes): AuthorizationDecision {
  const peer = peerOf(conn);
  const evaluations: PolicyEvaluation[] = [];
  let denied: PolicyEvaluation | undefined;
  let deniedByPeerAuth = false;
  let allowed: PolicyEvaluation | undefined;
  let allowCount = 0;
  for (const c of policies) {
    const rule = matchingRule(c, peer);
    const e: PolicyEvaluation = {
      policy: c.policy.key, action: c.policy.action, matched: rule >= 0, dryRun: c.policy.dryRun,
      ...(rule >= 0 ? { rule } : {}), ...(c.policy.dryRun ? { notEnforced: 'dry-run' as const } : {}),
    };
    evaluations.push(e);
    if (c.policy.dryRun) continue;
    if (c.policy.action === 'DENY' && rule >= 0 && !denied) [denied, deniedByPeerAuth] = [e, isPeerAuthDerived(c)];
    if (c.policy.action === 'ALLOW') {
      allowCount++;
      if (rule >= 0 && !allowed) allowed = e;
    }
  }
  if (denied) {
    return { verdict: 'deny', reason: deniedByPeerAuth ? 'strict-mtls-plaintext-denied' : 'deny-policy-matched', policy: denied.policy, rule: denied.rule ?? null, evaluations };
  }
  if (allowCount === 0) return { verdict: 'allow', reason: 'no-allow-policies', policy: null, rule: null, evaluations };
  if (allowed) return { verdict: 'allow', reason: 'allow-policy-matched', policy: allowed.policy, rule: allowed.rule ?? null, evaluations };
  const withMisses = evaluations.map((e, i) => (e.action === 'ALLOW' && !e.dryRun ? { ...e, ...nearMissOf(policies[i] as CompiledZtunnelPolicy, peer) } : e));
  return { verdict: 'deny', reason: 'no-allow-policy-matched', policy: null, rule: null, evaluations: withMisses };
}

/** The rule that got furthest (most clauses matched) and the first field that failed in it. */
function nearMissOf(c: CompiledZtunnelPolicy, p: Peer): { nearMiss?: NearMiss } {
  let best: { rule: number; score: number; miss: NearMiss } | undefined;
  for (const g of c.groups) {
    let score = 0;
    let miss: NearMiss | undefined;
    g.clauses.forEach((clause, i) => {
      if (clause.length === 0 || clause.some((m) => !m.empty && failingField(m, p) === null)) {
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
  return best ? { nearMiss: best.miss } : {};
}

function describeMiss(rule: number, origin: string, field: string, m: CompiledMatch | undefined, p: Peer): NearMiss {
  const s = m?.source;
  const prefix = origin === 'to' ? 'to.operation' : origin === 'when' ? 'when' : 'from.source';
  const table: Record<string, [readonly string[], string | null]> = {
    namespaces: [s?.namespaces.map(formatStringMatch) ?? [], p.namespace],
    notNamespaces: [s?.notNamespaces.map(formatStringMatch) ?? [], p.namespace],
    principals: [s?.principals.map(formatStringMatch) ?? [], p.principal],
    notPrincipals: [s?.notPrincipals.map(formatStringMatch) ?? [], p.principal],
    serviceAccounts: [s?.serviceAccounts.map((a) => `${a.namespace}/${a.serviceAccount}`) ?? [], p.namespace && `${p.namespace}/${p.serviceAccount}`],
    notServiceAccounts: [s?.notServiceAccounts.map((a) => `${a.namespace}/${a.serviceAccount}`) ?? [], p.namespace && `${p.namespace}/${p.serviceAccount}`],
    ipBlocks: [s?.sourceIps ?? [], ipText(p.src)],
    notIpBlocks: [s?.notSourceIps ?? [], ipText(p.src)],
    'destination.ip': [s?.destinationIps ?? [], ipText(p.dst)],
    'notDestination.ip': [s?.notDestinationIps ?? [], ipText(p.dst)],
    ports: [s?.destinationPorts.map(String) ?? [], String(p.port)],
    notPorts: [s?.notDestinationPorts.map(String) ?? [], String(p.port)],
  };
  const [expected, actual] = table[field] ?? [['(an HTTP attribute ztunnel cannot see)'], null];
  return { rule, field: `${prefix}.${field}`, expected, actual };
}

function ipText(ip: NumericIp): string | null {
  if (ip === null) return null;
  if (ip.v4) return [ip.value >>> 24, (ip.value >>> 16) & 255, (ip.value >>> 8) & 255, ip.value & 255].join('.');
  return ip.value.toString(16);
}
