import { sourceSignature, type CompiledWaypointPolicy } from './authz/waypoint-rbac.js';
import type { MeshIndex } from './mesh-index.js';
import type { CheckpointOutcome } from '../model/decision.js';
import type { MeshRequestAuthentication, MeshService, Waypoint, WaypointBinding, Workload } from '../model/mesh.js';
import type { Rule } from '../model/policy.js';
import { flatString } from '../match/flat-string.js';
import { DecisionTable } from './decision-table.js';
import { IdentityTable } from './identity-table.js';
import { NameTable } from './name-table.js';
import { IPV6_ADDRESS, ipv4Of } from './ipv4.js';
import { ENROLLED_AMBIENT, ENROLLED_NONE, ENROLLED_SIDECAR, NodeDecisions, ServiceRecord, WorkloadRecord } from './records.js';
import { firstMatch, SharedPolicies, ZtunnelTable } from './ztunnel-table.js';
import { matchingRuleOf, type RuleMatcher } from './authz/ztunnel-rbac.js';
import type { ConnectionAttributes } from '../model/evaluation.js';

/** A waypoint's chain for one Service (or for pod-addressed traffic): its policies and a memo of outcomes. */
export interface EnvoyPoint {
  readonly policies: readonly CompiledWaypointPolicy[];
  readonly requestAuthentications: readonly MeshRequestAuthentication[];
  /**
   * Outcomes depend only on which rule sources the peer identity satisfies, the port and the request
   * line (method, path, host) when no policy reads addresses, `when` conditions or request principals
   * and no RequestAuthentication applies; then they are memoised: (identity class, port) -> method ->
   * path -> host, the pair as one number `class * 65536 + port`.
   */
  readonly memo: Map<number, Map<string, Map<string, { none: CheckpointOutcome | undefined; readonly byHost: Map<string, CheckpointOutcome> }>>> | null;
  /** The outcome for plain TCP per (identity class, port), under the same condition. */
  readonly tcpMemo: Map<number, CheckpointOutcome> | null;
  /** Requests memoised since the memo was last emptied (see `admitMemo`). */
  memoised: number;
  /** Identity id to its class plus one (0: not computed yet): identities that satisfy the same rule sources (`sourceSignature`). */
  classOf: Int32Array;
  readonly classBySignature: Map<string, number>;
}

/** A waypoint's interned identity, its address as an IPv4 number, and its id as a tunnel end. */
export interface WaypointPeer {
  readonly identity: number;
  readonly ipv4: number;
  readonly end: number;
  /** The waypoint's dense id among waypoints (for counters), from zero up. */
  readonly component: number;
}

/**
 * The mesh compiled for the verdict path: dense identity ids, records of workloads and Services
 * keyed by the names and addresses flows use, ztunnel tables shared by every workload that receives
 * the same policies, waypoint chains with memoised outcomes, and shared Decision objects. Built once
 * per MeshIndex: records and tables when compiled, waypoint chains the first time traffic reaches them.
 */
export class CompiledMesh {
  readonly identities = new IdentityTable();
  readonly decisions = new DecisionTable();
  private readonly shared = new SharedPolicies(this.identities);
  private readonly tables = new Map<string, ZtunnelTable>();
  private readonly records = new Map<Workload, WorkloadRecord>();
  private readonly uids = new Map<string, number>();
  /** Names and addresses to records, filled from the index when compiled: lookups never add keys. */
  private readonly byRef = new NameTable<WorkloadRecord>();
  private readonly byIp = new NameTable<WorkloadRecord>();
  private readonly services = new Map<MeshService, ServiceRecord>();
  private readonly servicesByKey = new NameTable<ServiceRecord>();
  private readonly servicesByVip = new NameTable<ServiceRecord>();
  private readonly nodes = new Map<string, NodeDecisions>();
  private readonly waypointPeers = new Map<Waypoint, WaypointPeer>();
  /** Tunnel end ids given out, to workload records and waypoints alike. */
  private ends = 0;
  private readonly points = new Map<string, Map<string, EnvoyPoint>>();

  constructor(readonly index: MeshIndex) {
    for (const w of index.mesh.workloads) this.identities.intern(w.identity);
    for (const w of index.mesh.waypoints) this.identities.intern(w.identity);
    // Keyed by the mesh's own strings, never by a flow's: a flow's string is only looked up.
    for (const [uid, w] of index.workloadByUid) this.byRef.set(flatString(uid), this.record(w));
    for (const [controller, pods] of index.workloadsByController) {
      const first = pods[0];
      if (first !== undefined && !this.byRef.has(controller)) this.byRef.set(flatString(controller), this.record(first));
    }
    for (const [ip, w] of index.workloadByIp) this.byIp.set(flatString(ip), this.record(w));
    for (const [key, s] of index.serviceByKey) this.servicesByKey.set(flatString(key), this.service(s));
    for (const [vip, s] of index.serviceByVip) this.servicesByVip.set(flatString(vip), this.service(s));
    for (const n of this.nodes.values()) n.reserve(this.shared.outcomeCount);
  }

  /** A `ns/pod` or `ns/controller` reference: the pod, else the controller's first pod (endpoints.ts `findWorkload`). */
  workloadByRef(ref: string): WorkloadRecord | null {
    return this.byRef.get(ref);
  }

  /** The pod that owns an address (host-network pods own none). */
  workloadByIp(ip: string): WorkloadRecord | null {
    return this.byIp.get(ip);
  }

  serviceByKey(key: string): ServiceRecord | null {
    return this.servicesByKey.get(key);
  }

  serviceByVip(ip: string): ServiceRecord | null {
    return this.servicesByVip.get(ip);
  }

  /** A waypoint as the peer the destination ztunnel sees (its identity and address) and as a tunnel end. */
  waypointPeer(wp: Waypoint): WaypointPeer {
    let peer = this.waypointPeers.get(wp);
    if (peer === undefined) this.waypointPeers.set(wp, (peer = {
      identity: this.identities.intern(wp.identity), ipv4: ipv4Of(wp.ips[0] ?? ''), end: this.ends++, component: this.waypointPeers.size,
    }));
    return peer;
  }

  /**
   * A name for a tunnel end that is the same in every compilation of the same mesh and names one end
   * only: a waypoint by its key (waypoint ids are given out as traffic first reaches them), a workload
   * record by its id (given out in the mesh's order), an end given by name as that name.
   */
  stableEndName(end: number | string): string {
    if (typeof end === 'string') return `=${end}`;
    for (const [wp, peer] of this.waypointPeers) if (peer.end === end) return `w:${wp.key}`;
    return `#${end}`;
  }

  /** The chain a waypoint applies to traffic for a Service (`service` null: pod-addressed traffic). */
  envoyPoint(waypoint: string, service: string | null): EnvoyPoint {
    let byService = this.points.get(waypoint);
    if (byService === undefined) this.points.set(waypoint, (byService = new Map()));
    const key = service ?? '';
    let point = byService.get(key);
    if (point === undefined) {
      const policies = this.index.waypointPoliciesFor(waypoint, service);
      const requestAuthentications = this.index.requestAuthenticationsFor({ waypoint, service });
      const memoable = requestAuthentications.length === 0 && policies.every((c) => c.policy.rules.every(readsOnlyRequestLine));
      point = {
        policies, requestAuthentications, memo: memoable ? new Map() : null, tcpMemo: memoable ? new Map() : null,
        classOf: new Int32Array(this.identities.size), classBySignature: new Map(), memoised: 0,
      };
      byService.set(key, point);
    }
    return point;
  }

  /**
   * The compiled matcher for one connection's ztunnel policies: the same first matching rule as the
   * string matcher of ztunnel-rbac.ts, from the compiled tables; an IPv6 peer of a policy with IPv6
   * CIDRs is answered by the string matcher.
   */
  ztunnelMatcher(conn: ConnectionAttributes): RuleMatcher {
    const identity = this.identities.intern(conn.srcIdentity);
    const src = ipv4Of(conn.srcIp);
    const dst = ipv4Of(conn.dstIp);
    const port = conn.dstPort;
    const v6 = src === IPV6_ADDRESS || dst === IPV6_ADDRESS;
    return (c) => {
      const p = this.shared.policy(c);
      if (v6 && p.hasIpv6) return matchingRuleOf(c, conn);
      return firstMatch(p, identity, src, dst, port)?.rule ?? -1;
    };
  }

  /**
   * Before a chain's memo is read: a chain that has memoised MEMO_LIMIT requests (keys come from the
   * traffic: methods, paths, hosts) empties its memo and starts again, so memory stays bounded
   * whatever the traffic. Callers add one to `memoised` for every outcome they store.
   */
  admitMemo(point: EnvoyPoint): void {
    if (point.memoised < MEMO_LIMIT) return;
    point.memo?.clear();
    point.tcpMemo?.clear();
    point.memoised = 0;
  }

  /** The class of a peer identity at a waypoint chain, computed once per identity. */
  identityClass(point: EnvoyPoint, identity: number, name: string): number {
    if (identity >= point.classOf.length) {
      const grown = new Int32Array(Math.max(identity + 1, this.identities.size));
      grown.set(point.classOf);
      point.classOf = grown;
    }
    const known = point.classOf[identity] as number;
    if (known !== 0) return known - 1;
    const signature = sourceSignature(point.policies, name, this.index.mesh.meshConfig);
    let c = point.classBySignature.get(signature);
    if (c === undefined) point.classBySignature.set(signature, (c = point.classBySignature.size));
    point.classOf[identity] = c + 1;
    return c;
  }

  private record(w: Workload): WorkloadRecord {
    let r = this.records.get(w);
    if (r === undefined) {
      const enrollment = w.enrollment === 'ambient' ? ENROLLED_AMBIENT : w.enrollment === 'sidecar' ? ENROLLED_SIDECAR : ENROLLED_NONE;
      const ip = w.ips[0] ?? '';
      let uid = this.uids.get(w.uid);
      if (uid === undefined) this.uids.set(w.uid, (uid = this.uids.size));
      r = new WorkloadRecord(
        w, w.uid, uid, w.identity, this.identities.intern(w.identity), ip, ipv4Of(ip), w.node ?? null, enrollment, w.hostNetwork,
        w.enrollment === 'sidecar' || w.ingressGatewayFor !== undefined, w.waypointFor ?? null, this.usable(w.waypoint),
        enrollment === ENROLLED_AMBIENT ? this.tableFor(w) : null, this.node(w.node ?? '?'), this.ends++,
      );
      this.records.set(w, r);
    }
    return r;
  }

  private service(s: MeshService): ServiceRecord {
    let r = this.services.get(s);
    if (r === undefined) {
      const endpoints = (this.index.endpointsByService.get(s.key) ?? []).map((w) => this.record(w));
      r = new ServiceRecord(s, s.key, s.vips[0] ?? '', s.ports, endpoints, this.usable(s.waypoint));
      this.services.set(s, r);
    }
    return r;
  }

  /** A binding's waypoint when the binding is in effect (choose-waypoint.ts `usable`). */
  private usable(binding: WaypointBinding | undefined): Waypoint | null {
    if (binding === undefined || binding.problem !== undefined) return null;
    return this.index.waypointByKey.get(binding.waypoint) ?? null;
  }

  private node(name: string): NodeDecisions {
    let n = this.nodes.get(name);
    if (n === undefined) this.nodes.set(name, (n = new NodeDecisions(name, this.nodes.size)));
    return n;
  }

  /** Workloads that receive the same policies share one table (most of a Deployment's pods do). */
  private tableFor(w: Workload): ZtunnelTable {
    const policies = this.index.ztunnelPoliciesFor(w);
    const signature = policies.map((c) => c.policy.key).join('\n');
    let table = this.tables.get(signature);
    if (table === undefined) {
      table = new ZtunnelTable(policies, this.shared);
      this.tables.set(signature, table);
    }
    return table;
  }
}

/** The most requests one waypoint chain memoises before it empties its memo. */
export const MEMO_LIMIT = 65_536;

const ADDRESS_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'] as const;

/** A rule whose match depends on nothing but the peer identity, the port and the request line. */
function readsOnlyRequestLine(rule: Rule): boolean {
  if ((rule.when?.length ?? 0) > 0) return false;
  return (rule.from ?? []).every((f) => ADDRESS_FIELDS.every((k) => (f.source?.[k]?.length ?? 0) === 0));
}

const compiled = new WeakMap<MeshIndex, CompiledMesh>();

/** The compiled form of a mesh index, built once and shared by every simulator over it. */
export function compileMesh(index: MeshIndex): CompiledMesh {
  let c = compiled.get(index);
  if (c === undefined) compiled.set(index, (c = new CompiledMesh(index)));
  return c;
}
