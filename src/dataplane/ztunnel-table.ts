import type { CompiledZtunnelPolicy } from './authz/ztunnel-rbac.js';
import { SharedPolicies, type FastGroup, type FastMatch, type FastPolicy, type TableOutcome } from './ztunnel-policy-compile.js';

export { SharedPolicies, type FastPolicy, type TableOutcome } from './ztunnel-policy-compile.js';

const NO_ALLOW_POLICIES: TableOutcome = { id: 0, verdict: 'allow', reason: 'no-allow-policies', policy: null, rule: null };
const NO_ALLOW_MATCHED: TableOutcome = { id: 1, verdict: 'deny', reason: 'no-allow-policy-matched', policy: null, rule: null };

/**
 * The ztunnel authorizations one destination workload receives, compiled into integer tables: the
 * verdict of istio/ztunnel:src/state.rs `assert_rbac` (any DENY match denies; no ALLOW policy allows;
 * any ALLOW match allows; else deny; dry-run only logged) without allocating per connection.
 * {@link authorizeAtZtunnel} is the same decision with its evidence; a property test holds them equal.
 */
export class ZtunnelTable {
  private readonly denies: readonly FastPolicy[];
  private readonly allows: readonly FastPolicy[];
  /** Some enforced Match names an IPv6 CIDR: IPv6 peers then need the evidence evaluator. */
  readonly hasIpv6: boolean;
  /** Some policy is dry-run: logged, never enforced, so its evaluation is part of the evidence. */
  readonly hasDryRun: boolean;
  /** Outcomes by (identity, connection class), see ConnectionClasses; null when the classes are too many. */
  private readonly classes: ConnectionClasses | null;
  /** Per identity id, `classes.count` slots: the index in `outcomes` plus one (0: not decided yet). */
  private memo = new Uint16Array(0);
  private readonly outcomes: TableOutcome[] = [];
  /** The first ALLOW policy that is not dry-run: the one whose nearest miss a deny for want of an ALLOW match reports. */
  readonly firstAllow: CompiledZtunnelPolicy | null;

  constructor(policies: readonly CompiledZtunnelPolicy[], shared: SharedPolicies) {
    this.hasDryRun = policies.some((c) => c.policy.dryRun);
    this.firstAllow = policies.find((c) => c.policy.action === 'ALLOW' && !c.policy.dryRun) ?? null;
    const compiled = policies.filter((c) => !c.policy.dryRun).map((c) => shared.policy(c));
    this.denies = compiled.filter((p) => p.deny);
    this.allows = compiled.filter((p) => !p.deny);
    this.hasIpv6 = compiled.some((p) => p.hasIpv6);
    const groups = compiled.reduce((n, p) => n + p.groups.length, 0);
    this.classes = groups + 2 < 0xffff ? ConnectionClasses.of(compiled) : null;
  }

  /**
   * The outcome for a connection: peer identity id, source and destination as IPv4 numbers (or
   * NO_ADDRESS), destination port. The first matching DENY in ztunnel's order is the one reported.
   * Looked up by identity and connection class: every test of a Match reads only those.
   */
  decide(identity: number, src: number, dst: number, port: number): TableOutcome {
    const classes = this.classes;
    // A NaN port is in no class's port list yet could be in a port set (SameValueZero): evaluated.
    if (classes === null || identity >= MEMO_IDENTITIES || port !== port) return this.evaluate(identity, src, dst, port);
    const slot = identity * classes.count + classes.classOf(src, dst, port);
    if (slot >= this.memo.length) this.grow(identity);
    const known = this.memo[slot] as number;
    if (known !== 0) return this.outcomes[known - 1] as TableOutcome;
    const outcome = this.evaluate(identity, src, dst, port);
    let i = this.outcomes.indexOf(outcome);
    if (i < 0) i = this.outcomes.push(outcome) - 1;
    this.memo[slot] = i + 1;
    return outcome;
  }

  private evaluate(identity: number, src: number, dst: number, port: number): TableOutcome {
    const denies = this.denies;
    for (let i = 0; i < denies.length; i++) {
      const outcome = firstMatch(denies[i] as FastPolicy, identity, src, dst, port);
      if (outcome !== null) return outcome;
    }
    const allows = this.allows;
    if (allows.length === 0) return NO_ALLOW_POLICIES;
    for (let i = 0; i < allows.length; i++) {
      const outcome = firstMatch(allows[i] as FastPolicy, identity, src, dst, port);
      if (outcome !== null) return outcome;
    }
    return NO_ALLOW_MATCHED;
  }

  private grow(identity: number): void {
    const count = (this.classes as ConnectionClasses).count;
    const identities = Math.min(MEMO_IDENTITIES, Math.max(identity + 1, 2 * this.memo.length / count, 64));
    const next = new Uint16Array(identities * count);
    next.set(this.memo);
    this.memo = next;
  }
}

/** Identity ids at or above this are decided without the memo, so a table's memo stays bounded. */
const MEMO_IDENTITIES = 16_384;
/** The most connection classes a table memoises (more: it evaluates every connection). */
const MAX_CLASSES = 64;

/**
 * A table's connections in classes that every Match test answers alike: the destination port, when
 * some Match lists it (all other ports fall in one class), and for each distinct IPv4 CIDR list of
 * the table, whether the source (or destination) address falls in it.
 */
export class ConnectionClasses {
  private constructor(
    private readonly ports: Float64Array,
    private readonly srcRanges: readonly Float64Array[],
    private readonly dstRanges: readonly Float64Array[],
    /** How many classes there are. */
    readonly count: number,
  ) {}

  /** The classes of a table's policies, or null when they would be more than MAX_CLASSES. */
  static of(policies: readonly FastPolicy[]): ConnectionClasses | null {
    const ports = new Set<number>();
    const src = new Map<string, Float64Array>();
    const dst = new Map<string, Float64Array>();
    for (const p of policies) for (const g of p.groups) for (const clause of g.clauses) for (const m of clause) {
      for (const set of [m.ports, m.notPorts]) if (set !== null) for (const port of set) ports.add(port);
      for (const r of [m.src, m.notSrc]) if (r !== null) src.set(r.join(','), r);
      for (const r of [m.dst, m.notDst]) if (r !== null) dst.set(r.join(','), r);
    }
    const count = (ports.size + 1) * 2 ** (src.size + dst.size);
    if (count > MAX_CLASSES) return null;
    return new ConnectionClasses(Float64Array.from(ports), [...src.values()], [...dst.values()], count);
  }

  /** The class of a connection, in 0 .. count - 1. */
  classOf(src: number, dst: number, port: number): number {
    const ports = this.ports;
    let c = 0;
    for (let i = 0; i < ports.length; i++) {
      if (ports[i] === port) {
        c = i + 1;
        break;
      }
    }
    let mask = 0;
    const srcRanges = this.srcRanges;
    for (let i = 0; i < srcRanges.length; i++) if (inRanges(srcRanges[i] as Float64Array, src)) mask |= 1 << i;
    const dstRanges = this.dstRanges;
    for (let i = 0; i < dstRanges.length; i++) if (inRanges(dstRanges[i] as Float64Array, dst)) mask |= 1 << (srcRanges.length + i);
    return c + (ports.length + 1) * mask;
  }
}

/** istio/ztunnel:src/rbac.rs `Authorization::matches`: groups OR, clauses AND, matches OR. */
export function firstMatch(p: FastPolicy, identity: number, src: number, dst: number, port: number): TableOutcome | null {
  const groups = p.groups;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as FastGroup;
    let all = true;
    for (let k = 0; k < group.clauses.length && all; k++) all = clauseMatches(group.clauses[k] as readonly FastMatch[], identity, src, dst, port);
    if (all) return group.outcome;
  }
  return null;
}

/** A clause matches when it is empty or any non-empty Match matches. */
function clauseMatches(clause: readonly FastMatch[], identity: number, src: number, dst: number, port: number): boolean {
  if (clause.length === 0) return true;
  for (let i = 0; i < clause.length; i++) {
    const m = clause[i] as FastMatch;
    if (!m.empty && matches(m, identity, src, dst, port)) return true;
  }
  return false;
}

/** Every field of a Match, positive and negative halves (rbac.rs `matches_internal`). */
function matches(m: FastMatch, identity: number, src: number, dst: number, port: number): boolean {
  // Fields AND together with no side effects, so the cheapest are tested first: ports, then
  // addresses, then the identity (a memo lookup that may have to compute).
  if (m.ports !== null && !m.ports.has(port)) return false;
  if (m.notPorts !== null && m.notPorts.has(port)) return false;
  if (m.src !== null && !inRanges(m.src, src)) return false;
  if (m.notSrc !== null && inRanges(m.notSrc, src)) return false;
  if (m.dst !== null && !inRanges(m.dst, dst)) return false;
  if (m.notDst !== null && inRanges(m.notDst, dst)) return false;
  if (m.identity !== null && !m.identity.passes(identity)) return false;
  return true;
}

/** Whether an IPv4 number falls in any [network, mask] pair; codes below zero fall in none. */
function inRanges(ranges: Float64Array, ip: number): boolean {
  if (ip < 0) return false;
  for (let i = 0; i < ranges.length; i += 2) if (((ip & (ranges[i + 1] as number)) >>> 0) === ranges[i]) return true;
  return false;
}
