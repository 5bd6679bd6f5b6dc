import type { CompiledWaypointPolicy } from '../core/authz/waypoint-rbac.js';
import type { MeshIndex } from '../core/mesh-index.js';
import type { CheckpointOutcome } from '../model/decision.js';
import type { MeshRequestAuthentication, Waypoint, Workload } from '../model/mesh.js';
import type { Rule } from '../model/policy.js';
import { DecisionTable } from './decision-table.js';
import { IdentityTable } from './identity-table.js';
import { ipv4Of } from './ipv4.js';
import { ZtunnelTable } from './ztunnel-table.js';

/** What the verdict path needs of a workload, as integers: identity id, address, and its ztunnel table. */
export interface WorkloadFacts {
  readonly identity: number;
  /** `ips[0]` as an IPv4 number (or an ipv4Of code). */
  readonly ipv4: number;
  /** The destination ztunnel's compiled policies for this workload (ambient workloads only). */
  readonly ztunnel: ZtunnelTable | null;
}

/** A waypoint's chain for one Service (or for pod-addressed traffic): its policies and a memo of outcomes. */
export interface EnvoyPoint {
  readonly policies: readonly CompiledWaypointPolicy[];
  readonly requestAuthentications: readonly MeshRequestAuthentication[];
  /**
   * Outcomes depend only on peer identity, port and the request line (method, path, host) when no
   * policy reads addresses, `when` conditions or request principals and no RequestAuthentication
   * applies; then they are memoised: identity id -> port -> method -> path -> host.
   */
  readonly memo: Map<number, Map<number, Map<string, Map<string, Map<string, CheckpointOutcome>>>>> | null;
  /** The outcome for plain TCP per identity id -> port, under the same condition. */
  readonly tcpMemo: Map<number, Map<number, CheckpointOutcome>> | null;
}

/**
 * The mesh compiled for the verdict path: dense identity ids, per-workload ztunnel tables shared by
 * every workload that receives the same policies, waypoint chains with memoised outcomes, and shared
 * Decision objects. Built once per MeshIndex; entries are filled the first time they are needed.
 */
export class CompiledMesh {
  readonly identities = new IdentityTable();
  readonly decisions = new DecisionTable();
  private readonly tables = new Map<string, ZtunnelTable>();
  private readonly workloads = new Map<Workload, WorkloadFacts>();
  private readonly waypoints = new Map<Waypoint, WorkloadFacts>();
  private readonly points = new Map<string, Map<string, EnvoyPoint>>();

  constructor(readonly index: MeshIndex) {
    for (const w of index.mesh.workloads) this.identities.intern(w.identity);
    for (const w of index.mesh.waypoints) this.identities.intern(w.identity);
  }

  /** Facts of a workload, as a source or a destination. */
  workload(w: Workload): WorkloadFacts {
    let facts = this.workloads.get(w);
    if (facts === undefined) {
      const ztunnel = w.enrollment === 'ambient' ? this.tableFor(w) : null;
      facts = { identity: this.identities.intern(w.identity), ipv4: ipv4Of(w.ips[0] ?? ''), ztunnel };
      this.workloads.set(w, facts);
    }
    return facts;
  }

  /** A waypoint as the peer the destination ztunnel sees: its identity and address. */
  waypoint(wp: Waypoint): WorkloadFacts {
    let facts = this.waypoints.get(wp);
    if (facts === undefined) {
      facts = { identity: this.identities.intern(wp.identity), ipv4: ipv4Of(wp.ips[0] ?? ''), ztunnel: null };
      this.waypoints.set(wp, facts);
    }
    return facts;
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
      point = { policies, requestAuthentications, memo: memoable ? new Map() : null, tcpMemo: memoable ? new Map() : null };
      byService.set(key, point);
    }
    return point;
  }

  /** Workloads that receive the same policies share one table (most of a Deployment's pods do). */
  private tableFor(w: Workload): ZtunnelTable {
    const policies = this.index.ztunnelPoliciesFor(w);
    const signature = policies.map((c) => c.policy.key).join('\n');
    let table = this.tables.get(signature);
    if (table === undefined) {
      table = new ZtunnelTable(policies, this.identities);
      this.tables.set(signature, table);
    }
    return table;
  }
}

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
