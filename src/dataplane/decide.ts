import { evaluateFlow, type FlowEvaluation } from './evaluate-flow.js';
import type { MeshIndex } from './mesh-index.js';
import {
  NO_ENDPOINTS, OFF_MESH, PROTOCOL_UNDECLARED, SERVICE, TARGET_PORT_UNDECLARED, TargetResolver, UNKNOWN, WORKLOAD, type Target,
} from './resolve-target.js';
import type { CheckpointOutcome, Decision } from '../model/decision.js';
import type { Flow } from '../model/flow.js';
import { compileMesh, type CompiledMesh } from './compiled-mesh.js';
import { NO_IDENTITY_ID } from './identity-table.js';
import { IPV6_ADDRESS, ipv4Of } from './ipv4.js';
import { PathTrace, type TunnelEnd } from './path-trace.js';
import { ROUTE_DIRECT, ROUTE_OTHER, ROUTE_PLAIN, ROUTE_WAYPOINT, RouteFacts } from './route-facts.js';
import { ENROLLED_AMBIENT, ENROLLED_NONE, ENROLLED_SIDECAR, type ServiceRecord, type WorkloadRecord } from './records.js';
import type { TableOutcome } from './ztunnel-table.js';
import { waypointOutcome } from './waypoint-outcome.js';

/**
 * The verdict path: decides a flow from the compiled mesh without building its explanation, in the
 * same order as {@link evaluateFlow} (CNI capture rules, then istio/ztunnel:src/proxy/outbound.rs
 * `build_request`, then the destination side's enforcement points). Flows whose path involves a
 * sidecar, an ingress gateway or a JWT take the evidence evaluator and are reduced to their decision;
 * `lastEvaluation` then holds that evaluation. A property test holds the two paths equal on every
 * field they share.
 */
export class VerdictPath {
  readonly compiled: CompiledMesh;
  /** What the last decided flow crossed, for counters. */
  readonly trace = new PathTrace();
  /** The evidence of the last flow when it took the evidence evaluator, else undefined. */
  lastEvaluation: FlowEvaluation | undefined;
  /** The route of the last flow, for its explanation. */
  readonly route = new RouteFacts();
  private readonly targets: TargetResolver;
  /** What the waypoint sees of the flow being decided (one object, reused). */
  private readonly seen = { srcIp: '', dstIp: '', port: 0 };

  constructor(readonly index: MeshIndex) {
    this.compiled = compileMesh(index);
    this.targets = new TargetResolver(this.compiled, index);
  }

  /** The flow's decision; shared objects, never to be mutated. */
  decide(flow: Flow): Decision {
    this.trace.reset();
    this.route.reset();
    this.lastEvaluation = undefined;
    const compiled = this.compiled;
    const decisions = compiled.decisions;
    const src = flow.source;
    let source: WorkloadRecord | null;
    let srcIp: string;
    let srcNode: string | undefined;
    if (src.workload !== undefined) {
      source = compiled.workloadByRef(src.workload);
      if (source === null) return decisions.terminal('deny', 'unknown-source', false);
      srcIp = source.ip;
    } else {
      srcIp = src.ip;
      source = compiled.workloadByIp(srcIp);
      // A node with an empty name is no node (endpoints.ts `resolveSource` tests the name).
      if (source === null) srcNode = this.index.nodeByIp.get(srcIp) || undefined;
    }
    const resolver = source !== null && source.enrollment === ENROLLED_AMBIENT && !source.evidenceSource ? 'ztunnel' : 'kube-proxy';
    const t = this.targets.resolve(flow, resolver);
    const decision = this.routed(flow, source, srcIp, srcNode, t);
    // Headless and ExternalName hand-offs add a fact the route explainers do not write.
    if (t.via) this.route.shape = ROUTE_OTHER;
    return decision;
  }

  /** decide() once the destination is resolved: plan-route.ts `earlyOutcome`, then the source's side. */
  private routed(flow: Flow, source: WorkloadRecord | null, srcIp: string, srcNode: string | undefined, t: Target): Decision {
    const decisions = this.compiled.decisions;
    const src = flow.source;
    if (t.kind === UNKNOWN) return decisions.terminal('deny', 'unknown-destination', false);
    if (t.kind === PROTOCOL_UNDECLARED) return decisions.terminal('deny', 'service-port-protocol-undeclared', false);
    if (t.kind === TARGET_PORT_UNDECLARED) return decisions.terminal('deny', 'service-target-port-undeclared', false);
    if (t.kind === NO_ENDPOINTS) return decisions.terminal('deny', 'service-has-no-endpoints', false);
    // Only TCP is redirected; UDP bypasses ztunnel (cni/pkg/iptables/testdata/default.golden).
    if (flow.protocol === 'udp') return decisions.terminal('allow', 'not-captured-udp', false);
    if (t.kind === OFF_MESH) {
      const ambient = source !== null && source.enrollment === ENROLLED_AMBIENT;
      return decisions.terminal('allow', ambient ? 'routed-passthrough-external' : 'no-enforcement-point', false);
    }
    const dest = t.workload as WorkloadRecord;
    const route = this.route;
    route.source = source;
    route.srcIp = srcIp;
    route.service = t.service;
    route.dest = dest;
    // Loopback: a pod dialling its own pod IP leaves through `lo` and is not captured; its own Service
    // VIP is (plan-route.ts `earlyOutcome`, cni/pkg/iptables/iptables.go `AppendInpodRules`).
    // By uid, as plan-route.ts does: two records can share one (a pod named like a synthesized waypoint pod).
    if (t.kind === WORKLOAD && source !== null && source.uidId === dest.uidId) return decisions.terminal('allow', 'not-captured-loopback', false);
    // Host-namespace traffic on the destination's own node skips redirection (iptables.go, hostprobe.golden).
    const hostNode = srcNode ?? (source !== null && source.hostNetwork ? source.node ?? undefined : undefined);
    if (hostNode !== undefined && hostNode === dest.node) return decisions.terminal('allow', 'not-captured-same-node-host', false);
    if (dest.enrollment === ENROLLED_SIDECAR || flow.jwt !== undefined || (source !== null && source.evidenceSource)) return this.slow(flow);
    if (source !== null && source.enrollment === ENROLLED_AMBIENT) return this.fromAmbient(flow, source, src.workload ?? source.uid, srcIp, t, dest);
    // Out-of-mesh sources and node processes send plaintext straight to the pod; no waypoint is used.
    if (dest.enrollment !== ENROLLED_AMBIENT) return decisions.terminal('allow', 'no-enforcement-point', false);
    route.shape = ROUTE_PLAIN;
    return this.atZtunnel(flow, null, null, NO_IDENTITY_ID, ipv4Of(srcIp), dest, t.containerPort, false);
  }

  /** A captured source: its ztunnel sends to the destination's waypoint, else HBONE to the pod, else plain TCP. */
  private fromAmbient(flow: Flow, source: WorkloadRecord, label: string, srcIp: string, t: Target, dest: WorkloadRecord): Decision {
    const decisions = this.compiled.decisions;
    // The waypoint the source ztunnel picks (choose-waypoint.ts), never the source's own.
    const bound = t.kind === SERVICE ? (t.service as ServiceRecord).waypoint : dest.podWaypoint;
    const wp = bound !== null && source.waypointFor !== bound.key ? bound : null;
    if (wp === null) {
      // The destination has no tunnel protocol: plain TCP, no policy anywhere.
      if (dest.enrollment === ENROLLED_NONE) return decisions.terminal('allow', 'routed-plaintext-to-unenrolled', false);
      this.tunnel(source, label, dest.end);
      this.route.shape = ROUTE_DIRECT;
      return this.atZtunnel(flow, null, null, source.identity, srcIp === source.ip ? source.ipv4 : ipv4Of(srcIp), dest, t.containerPort, true);
    }
    const peer = this.compiled.waypointPeer(wp);
    this.tunnel(source, label, peer.end);
    const seen = this.seen;
    seen.srcIp = srcIp;
    seen.dstIp = t.ip;
    seen.port = t.port;
    const at = waypointOutcome(this.compiled, flow, wp, t.kind === SERVICE ? (t.service as ServiceRecord).key : null, source, seen);
    const route = this.route;
    route.shape = ROUTE_WAYPOINT;
    route.waypoint = wp;
    route.waypointDstIp = t.ip;
    route.waypointPort = t.port;
    route.atWaypoint = at;
    this.trace.checkpoint('waypoint', wp.key, at.verdict === 'deny', peer.component);
    if (at.verdict === 'deny') return decisions.get(at, 'waypoint', wp.key, true);
    if (dest.enrollment !== ENROLLED_AMBIENT) return decisions.get(at, 'waypoint', wp.key, false);
    this.trace.tunnel('waypoint', wp.key, peer.identity, peer.end, dest.end, peer.component);
    return this.atZtunnel(flow, at, wp.key, peer.identity, peer.ipv4, dest, t.containerPort, true);
  }

  /**
   * The destination ztunnel's outcome, composed with the waypoint's before it (`previous`): a deny
   * decides; an allow is decided by the last point whose ALLOW policy matched, else the last point.
   */
  private atZtunnel(
    flow: Flow, previous: CheckpointOutcome | null, previousName: string | null, identity: number, srcV4: number,
    dest: WorkloadRecord, port: number, encrypted: boolean,
  ): Decision {
    const table = dest.ztunnel;
    if (table === null || (table.hasIpv6 && (srcV4 === IPV6_ADDRESS || dest.ipv4 === IPV6_ADDRESS))) return this.slow(flow);
    const outcome = table.decide(identity, srcV4, dest.ipv4, port);
    this.route.atZtunnel = outcome;
    this.route.ztunnelPort = port;
    const node = dest.atNode;
    this.trace.checkpoint('ztunnel', node.name, outcome.verdict === 'deny', node.id);
    if (outcome.verdict === 'deny' || previous === null || outcome.reason === 'allow-policy-matched' || previous.reason !== 'allow-policy-matched') {
      return this.atNode(outcome, dest, encrypted);
    }
    return this.compiled.decisions.get(previous, 'waypoint', previousName, encrypted);
  }

  /** The destination ztunnel's decision on the pod's node, shared by outcome id. */
  private atNode(outcome: TableOutcome, dest: WorkloadRecord, encrypted: boolean): Decision {
    if (outcome.id >= dest.atNode.plain.length) dest.atNode.reserve(2 * outcome.id + 2);
    const byId = encrypted ? dest.atNode.encrypted : dest.atNode.plain;
    let d = byId[outcome.id];
    if (d === undefined) {
      d = this.compiled.decisions.get(outcome, 'destination-ztunnel', dest.atNode.name, encrypted);
      byId[outcome.id] = d;
    }
    return d;
  }

  /** The HBONE leg from the source's ztunnel (counted only when the source has a node; `label` names a sending waypoint). */
  private tunnel(source: WorkloadRecord, label: string, to: TunnelEnd): void {
    // The source's node decisions are those of `source.node` whenever it has one (CompiledMesh `record`).
    if (source.node !== null) this.trace.tunnel('ztunnel', source.node, source.identity, source.end, to, source.atNode.id);
    else {
      const wp = this.index.waypointByKey.get(label);
      if (wp === undefined) return;
      const peer = this.compiled.waypointPeer(wp);
      // A waypoint's id stands for its key: a sender named otherwise is counted by name.
      this.trace.tunnel('waypoint', label, source.identity, peer.end, to, label === wp.key ? peer.component : -1);
    }
  }

  /** The evidence evaluator, reduced to its decision; the trace is rebuilt from its evaluation. */
  private slow(flow: Flow): Decision {
    const evaluation = evaluateFlow(flow, this.index);
    this.lastEvaluation = evaluation;
    this.route.shape = ROUTE_OTHER;
    this.traceEvaluation(evaluation);
    const r = evaluation.result;
    return { verdict: r.verdict, encrypted: r.encrypted, decidedBy: r.decidedBy, policy: r.policy, rule: r.rule, reason: r.reason };
  }

  /** A hop's end as the verdict path keys it: the waypoint, else the workload, of that name or address. */
  private tunnelEnd(label: string): TunnelEnd {
    const wp = this.index.waypointByKey.get(label);
    return wp !== undefined ? this.compiled.waypointPeer(wp).end : this.workloadEnd(label);
  }

  /** A source ztunnel's client as the verdict path keys it: the workload of that name or address. */
  private workloadEnd(label: string): TunnelEnd {
    return (this.compiled.workloadByRef(label) ?? this.compiled.workloadByIp(label))?.end ?? label;
  }

  private traceEvaluation(evaluation: FlowEvaluation): void {
    const trace = this.trace;
    trace.reset();
    const identities = this.compiled.identities;
    const hops = evaluation.result.hops;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i] as (typeof hops)[number];
      if (hop.transport !== 'hbone') continue;
      // The first hop leaves the source node's ztunnel; a later one leaves a waypoint.
      if (i === 0 && evaluation.sourceNode !== undefined) trace.tunnel('ztunnel', evaluation.sourceNode, identities.intern(hop.peerIdentity), this.workloadEnd(hop.from), this.tunnelEnd(hop.to));
      else if (this.index.waypointByKey.has(hop.from)) trace.tunnel('waypoint', hop.from, identities.intern(hop.peerIdentity), this.tunnelEnd(hop.from), this.tunnelEnd(hop.to));
    }
    for (const { checkpoint, decision } of evaluation.decisions) {
      trace.checkpoint(checkpoint.component === 'destination-ztunnel' ? 'ztunnel' : checkpoint.component, checkpoint.name, decision.verdict === 'deny');
    }
  }
}
