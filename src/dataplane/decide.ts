import { requestToken } from '../core/authn/bearer-token.js';
import { authorizeAtEnvoy } from '../core/authz/envoy-authorize.js';
import { evaluateFlow, type FlowEvaluation } from '../core/evaluate-flow.js';
import type { MeshIndex } from '../core/mesh-index.js';
import { fnv1a } from '../core/resolve/stable-address.js';
import { targetPortOf } from '../core/route/endpoints.js';
import type { CheckpointOutcome, Decision } from '../model/decision.js';
import type { Flow } from '../model/flow.js';
import type { MeshService, Waypoint, Workload } from '../model/mesh.js';
import { compileMesh, type CompiledMesh, type EnvoyPoint } from './compiled-mesh.js';
import { IPV6_ADDRESS, ipv4Of } from './ipv4.js';
import { PathTrace } from './path-trace.js';

/** Where a flow's destination resolved to, in the few fields the verdict path reads (reused per flow). */
interface Target {
  /** 0 unknown, 1 a Service with an endpoint, 2 a Service without one, 3 a workload, 4 a node or external address. */
  kind: number;
  service: MeshService | null;
  workload: Workload | null;
  /** Address the flow was sent to: the Service VIP or the pod address. */
  ip: string;
  /** Port the flow was sent to (the Service port for Service traffic). */
  port: number;
  /** Port at the pod: the Service's targetPort, else the port itself. */
  containerPort: number;
}

const UNKNOWN = 0;
const SERVICE = 1;
const NO_ENDPOINTS = 2;
const WORKLOAD = 3;
const OFF_MESH = 4;

/**
 * The verdict path: decides a flow from the compiled mesh without building its explanation, in the
 * same order as {@link evaluateFlow} (CNI capture rules, then istio/ztunnel:src/proxy/outbound.rs
 * `build_request`, then the destination side's enforcement points). Flows whose path involves a
 * sidecar, an ingress gateway or request authentication take the evidence evaluator and are reduced
 * to their decision; `lastEvaluation` then holds that evaluation. A property test holds the two paths
 * equal on every field they share.
 */
export class VerdictPath {
  readonly compiled: CompiledMesh;
  /** What the last decided flow crossed, for counters. */
  readonly trace = new PathTrace();
  /** The evidence of the last flow when it took the evidence evaluator, else undefined. */
  lastEvaluation: FlowEvaluation | undefined;
  private readonly target: Target = { kind: UNKNOWN, service: null, workload: null, ip: '', port: 0, containerPort: 0 };

  constructor(readonly index: MeshIndex) {
    this.compiled = compileMesh(index);
  }

  /** The flow's decision; shared objects, never to be mutated. */
  decide(flow: Flow): Decision {
    this.trace.reset();
    this.lastEvaluation = undefined;
    const index = this.index;
    const src = flow.source;
    let source: Workload | undefined;
    let srcIp: string;
    let srcNode: string | undefined;
    if (src.workload !== undefined) {
      source = index.workloadByUid.get(src.workload) ?? index.workloadsByController.get(src.workload)?.[0];
      if (source === undefined) return this.compiled.decisions.terminal('deny', 'unknown-source', false);
      srcIp = source.ips[0] ?? '';
    } else {
      srcIp = src.ip;
      source = index.workloadByIp.get(srcIp);
      if (source === undefined) srcNode = index.nodeByIp.get(srcIp);
    }
    const t = this.resolveTarget(flow);
    const decisions = this.compiled.decisions;
    if (t.kind === UNKNOWN) return decisions.terminal('deny', 'unknown-destination', false);
    if (t.kind === NO_ENDPOINTS) return decisions.terminal('deny', 'service-has-no-endpoints', false);
    // Only TCP is redirected; UDP bypasses ztunnel (cni/pkg/iptables/testdata/default.golden).
    if (flow.protocol === 'udp') return decisions.terminal('allow', 'not-captured-udp', false);
    if (t.kind === OFF_MESH) {
      const ambient = source !== undefined && source.enrollment === 'ambient';
      return decisions.terminal('allow', ambient ? 'routed-passthrough-external' : 'no-enforcement-point', false);
    }
    const dest = t.workload as Workload;
    // Loopback: a pod calling its own IP is not captured.
    if (source !== undefined && source.uid === dest.uid) return decisions.terminal('allow', 'not-captured-loopback', false);
    // Host-namespace traffic on the destination's own node skips redirection (iptables.go, hostprobe.golden).
    const hostNode = srcNode ?? (source !== undefined && source.hostNetwork ? source.node : undefined);
    if (hostNode !== undefined && hostNode === dest.node) return decisions.terminal('allow', 'not-captured-same-node-host', false);
    if (dest.enrollment === 'sidecar' || flow.jwt !== undefined) return this.slow(flow);
    if (source !== undefined && (source.enrollment === 'sidecar' || source.ingressGatewayFor !== undefined)) return this.slow(flow);
    if (source !== undefined && source.enrollment === 'ambient') return this.fromAmbient(flow, source, src.workload ?? source.uid, srcIp, t, dest);
    return this.fromOutsideMesh(flow, srcIp, t, dest);
  }

  /** Resolves the destination as `resolveDestination` does; Service traffic picks its endpoint by flow id. */
  private resolveTarget(flow: Flow): Target {
    const t = this.target;
    const index = this.index;
    const d = flow.destination;
    t.kind = UNKNOWN;
    t.service = null;
    t.workload = null;
    t.port = d.port;
    t.containerPort = d.port;
    if (d.service !== undefined) {
      const svc = index.serviceByKey.get(d.service);
      if (svc !== undefined) this.serviceTarget(svc, svc.vips[0] ?? '', flow.id);
      return t;
    }
    if (d.workload !== undefined) {
      const w = index.workloadByUid.get(d.workload) ?? index.workloadsByController.get(d.workload)?.[0];
      if (w !== undefined) this.workloadTarget(w, w.ips[0] ?? '');
      return t;
    }
    const svc = index.serviceByVip.get(d.ip);
    if (svc !== undefined) return this.serviceTarget(svc, d.ip, flow.id);
    const w = index.workloadByIp.get(d.ip);
    if (w !== undefined) return this.workloadTarget(w, d.ip);
    t.kind = OFF_MESH;
    t.ip = d.ip;
    return t;
  }

  private serviceTarget(svc: MeshService, vip: string, flowId: string): Target {
    const t = this.target;
    let sp: MeshService['ports'][number] | undefined;
    for (let i = 0; i < svc.ports.length && sp === undefined; i++) if (svc.ports[i]?.port === t.port) sp = svc.ports[i];
    if (sp === undefined) return t;
    const endpoints = this.index.endpointsByService.get(svc.key);
    t.service = svc;
    t.ip = vip;
    if (endpoints === undefined || endpoints.length === 0) {
      t.kind = NO_ENDPOINTS;
      return t;
    }
    // Stable by flow id (endpoints.ts `endpointChoice`): a replay must be repeatable.
    const endpoint = endpoints[endpoints.length > 1 ? fnv1a(flowId) % endpoints.length : 0] as Workload;
    t.kind = SERVICE;
    t.workload = endpoint;
    t.containerPort = targetPortOf(sp.targetPort, endpoint, t.port);
    return t;
  }

  private workloadTarget(w: Workload, ip: string): Target {
    const t = this.target;
    t.kind = WORKLOAD;
    t.workload = w;
    t.ip = ip;
    return t;
  }

  /** A captured source: its ztunnel sends to the destination's waypoint, else HBONE to the pod, else plain TCP. */
  private fromAmbient(flow: Flow, source: Workload, label: string, srcIp: string, t: Target, dest: Workload): Decision {
    const decisions = this.compiled.decisions;
    const wp = this.chosenWaypoint(source, t, dest);
    const srcFacts = this.compiled.workload(source);
    const sender = source.node;
    if (wp === undefined) {
      // The destination has no tunnel protocol: plain TCP, no policy anywhere.
      if (dest.enrollment === 'none') return decisions.terminal('allow', 'routed-plaintext-to-unenrolled', false);
      this.tunnel(sender, source.identity, label, dest.uid);
      return this.atZtunnel(flow, null, null, srcFacts.identity, srcIp === (source.ips[0] ?? '') ? srcFacts.ipv4 : ipv4Of(srcIp), dest, t.containerPort, true);
    }
    this.tunnel(sender, source.identity, label, wp.key);
    const at = this.atWaypoint(flow, wp, t.kind === SERVICE ? (t.service as MeshService).key : null, source.identity, srcIp, t);
    if (at === null) return this.slow(flow);
    this.trace.checkpoint('waypoint', wp.key, at.verdict === 'deny');
    if (at.verdict === 'deny') return decisions.get(at, 'waypoint', wp.key, true);
    if (dest.enrollment !== 'ambient') return decisions.get(at, 'waypoint', wp.key, false);
    const peer = this.compiled.waypoint(wp);
    this.trace.tunnel('waypoint', wp.key, wp.identity, wp.key, dest.uid);
    return this.atZtunnel(flow, at, wp.key, peer.identity, peer.ipv4, dest, t.containerPort, true);
  }

  /** Out-of-mesh sources and node processes send plaintext straight to the pod; no waypoint is used. */
  private fromOutsideMesh(flow: Flow, srcIp: string, t: Target, dest: Workload): Decision {
    if (dest.enrollment !== 'ambient') return this.compiled.decisions.terminal('allow', 'no-enforcement-point', false);
    return this.atZtunnel(flow, null, null, 0, ipv4Of(srcIp), dest, t.containerPort, false);
  }

  /** The waypoint the source ztunnel picks (choose-waypoint.ts), never the source's own. */
  private chosenWaypoint(source: Workload, t: Target, dest: Workload): Waypoint | undefined {
    const binding = t.kind === SERVICE ? (t.service as MeshService).waypoint : dest.waypoint;
    if (binding === undefined || binding.problem !== undefined) return undefined;
    const wp = this.index.waypointByKey.get(binding.waypoint);
    return wp !== undefined && source.waypointFor !== wp.key ? wp : undefined;
  }

  /**
   * The destination ztunnel's outcome, composed with the waypoint's before it (`previous`): a deny
   * decides; an allow is decided by the last point whose ALLOW policy matched, else the last point.
   */
  private atZtunnel(
    flow: Flow, previous: CheckpointOutcome | null, previousName: string | null, identity: number, srcV4: number,
    dest: Workload, port: number, encrypted: boolean,
  ): Decision {
    const facts = this.compiled.workload(dest);
    const table = facts.ztunnel;
    if (table === null || (table.hasIpv6 && (srcV4 === IPV6_ADDRESS || facts.ipv4 === IPV6_ADDRESS))) return this.slow(flow);
    const node = dest.node ?? '?';
    const outcome = table.decide(identity, srcV4, facts.ipv4, port);
    this.trace.checkpoint('ztunnel', node, outcome.verdict === 'deny');
    const decisions = this.compiled.decisions;
    if (outcome.verdict === 'deny' || previous === null || outcome.reason === 'allow-policy-matched' || previous.reason !== 'allow-policy-matched') {
      return decisions.get(outcome, 'destination-ztunnel', node, encrypted);
    }
    return decisions.get(previous, 'waypoint', previousName, encrypted);
  }

  /**
   * The waypoint's Envoy RBAC outcome (envoy-authorize.ts) for what it sees: the client's identity and
   * address, the address and port the flow was sent to, and the request. Memoised when the chain's
   * policies read only identity, port and request line; null when the request needs the evidence path.
   */
  private atWaypoint(flow: Flow, wp: Waypoint, service: string | null, identity: string, srcIp: string, t: Target): CheckpointOutcome | null {
    const point = this.compiled.envoyPoint(wp.key, service);
    const http = flow.protocol === 'http' ? flow.http : undefined;
    if (flow.l7Unknown !== undefined || (http !== undefined && hasHeaders(http.headers))) return this.envoyOutcome(point, flow, identity, srcIp, t);
    const id = this.compiled.identities.intern(identity);
    if (http === undefined) {
      if (point.tcpMemo === null) return this.envoyOutcome(point, flow, identity, srcIp, t);
      let byPort = point.tcpMemo.get(id);
      if (byPort === undefined) point.tcpMemo.set(id, (byPort = new Map()));
      let outcome = byPort.get(t.port);
      if (outcome === undefined) byPort.set(t.port, (outcome = this.envoyOutcome(point, flow, identity, srcIp, t)));
      return outcome;
    }
    if (point.memo === null) return this.envoyOutcome(point, flow, identity, srcIp, t);
    let byPort = point.memo.get(id);
    if (byPort === undefined) point.memo.set(id, (byPort = new Map()));
    let byMethod = byPort.get(t.port);
    if (byMethod === undefined) byPort.set(t.port, (byMethod = new Map()));
    let byPath = byMethod.get(http.method);
    if (byPath === undefined) byMethod.set(http.method, (byPath = new Map()));
    let byHost = byPath.get(http.path);
    if (byHost === undefined) byPath.set(http.path, (byHost = new Map()));
    const host = http.host ?? '';
    let outcome = byHost.get(host);
    if (outcome === undefined) byHost.set(host, (outcome = this.envoyOutcome(point, flow, identity, srcIp, t)));
    return outcome;
  }

  private envoyOutcome(point: EnvoyPoint, flow: Flow, identity: string, srcIp: string, t: Target): CheckpointOutcome {
    const http = flow.protocol === 'http' ? flow.http : undefined;
    const d = authorizeAtEnvoy(point.policies, {
      srcIdentity: identity, srcIp, dstIp: t.ip, dstPort: t.port, http, l7Unknown: flow.l7Unknown, token: http ? requestToken(flow) : undefined,
    }, this.index.mesh.meshConfig, { requestAuthentications: point.requestAuthentications, customUndecidable: false, explain: false });
    return { verdict: d.verdict, reason: d.reason, policy: d.policy, rule: d.rule };
  }

  /** The HBONE leg from the source's ztunnel (counted only when the source has a node). */
  private tunnel(node: string | undefined, identity: string, from: string, to: string): void {
    if (node !== undefined) this.trace.tunnel('ztunnel', node, identity, from, to);
    else if (this.index.waypointByKey.has(from)) this.trace.tunnel('waypoint', from, identity, from, to);
  }

  /** The evidence evaluator, reduced to its decision; the trace is rebuilt from its evaluation. */
  private slow(flow: Flow): Decision {
    const evaluation = evaluateFlow(flow, this.index);
    this.lastEvaluation = evaluation;
    this.traceEvaluation(evaluation);
    const r = evaluation.result;
    return { verdict: r.verdict, encrypted: r.encrypted, decidedBy: r.decidedBy, policy: r.policy, rule: r.rule, reason: r.reason };
  }

  private traceEvaluation(evaluation: FlowEvaluation): void {
    const trace = this.trace;
    trace.reset();
    const hops = evaluation.result.hops;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i] as (typeof hops)[number];
      if (hop.transport !== 'hbone') continue;
      // The first hop leaves the source node's ztunnel; a later one leaves a waypoint.
      if (i === 0 && evaluation.sourceNode !== undefined) trace.tunnel('ztunnel', evaluation.sourceNode, hop.peerIdentity, hop.from, hop.to);
      else if (this.index.waypointByKey.has(hop.from)) trace.tunnel('waypoint', hop.from, hop.peerIdentity, hop.from, hop.to);
    }
    for (const { checkpoint, decision } of evaluation.decisions) {
      trace.checkpoint(checkpoint.component === 'destination-ztunnel' ? 'ztunnel' : checkpoint.component, checkpoint.name, decision.verdict === 'deny');
    }
  }
}

function hasHeaders(headers: Readonly<Record<string, string>>): boolean {
  for (const _ in headers) return true;
  return false;
}
