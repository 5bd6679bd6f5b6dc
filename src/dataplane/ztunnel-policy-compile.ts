import type { CompiledMatch, CompiledZtunnelPolicy } from './authz/ztunnel-rbac.js';
import { failingIdentityField } from './authz/ztunnel-rbac.js';
import type { RbacMatch } from '../model/mesh.js';
import type { CheckpointOutcome } from '../model/decision.js';
import type { IdentityTable } from './identity-table.js';

/*
 * The compile half of the ztunnel tables (ztunnel-table.ts evaluates): each ztunnel authorization
 * compiled once into integer tests, with the outcome ids every table's decisions are kept by.
 */

/** A Match compiled to integer tests: identity fields memoised per identity id, IPv4 ranges, port sets. */
export interface FastMatch {
  readonly empty: boolean;
  /** The identity fields' test, shared by every Match with the same fields; null when any identity passes. */
  readonly identity: IdentityCondition | null;
  /** IPv4 CIDRs as [network, mask, network, mask, ...]; null when the field is empty. */
  readonly src: Float64Array | null;
  readonly notSrc: Float64Array | null;
  readonly dst: Float64Array | null;
  readonly notDst: Float64Array | null;
  readonly ports: ReadonlySet<number> | null;
  readonly notPorts: ReadonlySet<number> | null;
}

/** A ztunnel outcome with a dense id (mesh-wide), so per-node decisions can be kept in arrays. */
export interface TableOutcome extends CheckpointOutcome {
  readonly id: number;
}

export interface FastGroup {
  readonly clauses: readonly (readonly FastMatch[])[];
  /** The outcome when this group is the first to match. */
  readonly outcome: TableOutcome;
}

/** One ztunnel authorization compiled to integer tests. */
export interface FastPolicy {
  readonly deny: boolean;
  readonly groups: readonly FastGroup[];
  /** Some Match names an IPv6 CIDR: IPv6 peers then need the string matcher. */
  readonly hasIpv6: boolean;
}

/**
 * Compiled policies shared by every table that receives them (a namespace-wide policy reaches every
 * workload of its namespace), and identity conditions shared by every Match with the same fields, so
 * the working set stays small whatever the number of workloads.
 */
export class SharedPolicies {
  private readonly policies = new Map<CompiledZtunnelPolicy, FastPolicy>();
  private readonly conditions = new Map<string, IdentityCondition>();
  /** Ids 0 and 1 are the two outcomes no policy decides. */
  private outcomes = 2;

  constructor(private readonly identities: IdentityTable) {}

  policy(c: CompiledZtunnelPolicy): FastPolicy {
    let p = this.policies.get(c);
    if (p === undefined) this.policies.set(c, (p = compilePolicy(c, this)));
    return p;
  }

  nextOutcomeId(): number {
    return this.outcomes++;
  }

  /** How many outcome ids have been given out. */
  get outcomeCount(): number {
    return this.outcomes;
  }

  condition(m: RbacMatch): IdentityCondition {
    const key = JSON.stringify([m.namespaces, m.notNamespaces, m.principals, m.notPrincipals, m.serviceAccounts, m.notServiceAccounts]);
    let c = this.conditions.get(key);
    if (c === undefined) this.conditions.set(key, (c = new IdentityCondition(m, this.identities)));
    return c;
  }
}

/** The identity fields of a Match (namespaces, principals, service accounts, both halves), memoised per identity id in two bits. */
class IdentityCondition {
  /** Two bits per identity id: computed, and passes. */
  private bits = new Uint32Array(0);

  constructor(private readonly match: RbacMatch, private readonly identities: IdentityTable) {}

  passes(identity: number): boolean {
    const word = identity >>> 4;
    const shift = (identity & 15) << 1;
    if (word >= this.bits.length) this.grow(word);
    const v = ((this.bits[word] as number) >>> shift) & 3;
    if (v !== 0) return v === 3;
    const pass = failingIdentityField(this.match, this.identities.partsOf(identity)) === null;
    this.bits[word] = (this.bits[word] as number) | ((pass ? 3 : 1) << shift);
    return pass;
  }

  private grow(word: number): void {
    const next = new Uint32Array(Math.max(word + 1, (this.identities.size + 15) >>> 4));
    next.set(this.bits);
    this.bits = next;
  }
}

function compilePolicy(c: CompiledZtunnelPolicy, shared: SharedPolicies): FastPolicy {
  const p = c.policy;
  const deny = p.action === 'DENY';
  const peerAuth = p.origin.kind === 'PeerAuthentication' || p.origin.kind === 'static-strict';
  const reason = deny ? (peerAuth ? 'strict-mtls-plaintext-denied' : 'deny-policy-matched') : 'allow-policy-matched';
  const hasIpv6 = c.groups.some((g) => g.clauses.some((cl) => cl.some((m) => [m.srcIps, m.notSrcIps, m.dstIps, m.notDstIps].some((l) => l.some((x) => !x.v4)))));
  return {
    deny, hasIpv6,
    groups: c.groups.map((g) => ({
      // Clauses AND together with no side effects: those that need no identity lookup are tested first.
      clauses: cheapestFirst(g.clauses.map((clause) => clause.map((m) => compileMatch(m, shared)))),
      outcome: { id: shared.nextOutcomeId(), verdict: deny ? 'deny' : 'allow', reason, policy: p.key, rule: g.ruleIndex },
    })),
  };
}

function cheapestFirst(clauses: (readonly FastMatch[])[]): (readonly FastMatch[])[] {
  const needsIdentity = (clause: readonly FastMatch[]): number => (clause.some((m) => m.identity !== null) ? 1 : 0);
  return clauses.map((c, i) => ({ c, i })).sort((a, b) => needsIdentity(a.c) - needsIdentity(b.c) || a.i - b.i).map((x) => x.c);
}

function compileMatch(m: CompiledMatch, shared: SharedPolicies): FastMatch {
  const s = m.source;
  const hasIdentity = s.namespaces.length + s.notNamespaces.length + s.principals.length + s.notPrincipals.length
    + s.serviceAccounts.length + s.notServiceAccounts.length > 0;
  return {
    empty: m.empty, identity: hasIdentity ? shared.condition(s) : null,
    src: ranges(m.srcIps), notSrc: ranges(m.notSrcIps), dst: ranges(m.dstIps), notDst: ranges(m.notDstIps),
    ports: m.ports.size > 0 ? m.ports : null, notPorts: m.notPorts.size > 0 ? m.notPorts : null,
  };
}

/** IPv4 CIDRs as number pairs; an IPv6 CIDR never contains an IPv4 peer, so it is left out here. */
function ranges(cidrs: CompiledMatch['srcIps']): Float64Array | null {
  if (cidrs.length === 0) return null;
  const out: number[] = [];
  for (const c of cidrs) if (c.v4) out.push(c.network, c.mask);
  return Float64Array.from(out);
}
