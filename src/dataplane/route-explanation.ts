import type { CheckpointOutcome, Decision } from '../model/decision.js';
import type { Flow } from '../model/flow.js';
import type { Waypoint } from '../model/mesh.js';
import type { FlowResult, Hop, Step } from '../model/result.js';
import { MEMO_LIMIT, type CompiledMesh, type EnvoyPoint } from './compiled-mesh.js';
import { firstAllowNearMiss as waypointNearMiss } from './authz/waypoint-rbac.js';
import { firstAllowNearMiss as ztunnelNearMiss } from './authz/ztunnel-rbac.js';
import type { NearMiss } from '../model/result.js';
import { ENROLLED_AMBIENT, type NodeDecisions, type WorkloadRecord } from './records.js';
import { chooseWaypoint, type WaypointChoice } from './route/choose-waypoint.js';
import { info } from './route/plan-route.js';
import { ROUTE_DIRECT, ROUTE_PLAIN, ROUTE_WAYPOINT, type RouteFacts } from './route-facts.js';
import type { TableOutcome, ZtunnelTable } from './ztunnel-table.js';

/**
 * Explains a flow from the route the verdict path just took, with the evidence evaluator's hops and
 * steps ({@link evaluateFlow}, plan-route.ts): the same facts in the same order, without planning
 * the route again or evaluating every policy in scope. An enforcement point's step is shared by every
 * flow with the same outcome there; a deny for want of a matching ALLOW policy is explained by that
 * point alone, with its nearest miss. Routes whose evidence needs more than the point's decision (a
 * dry-run or not enforced policy, request authentication) and routes the verdict path does not
 * describe are left to the evidence evaluator (`explain` returns undefined). A property test holds
 * both explanations equal.
 */
export class RouteExplainer {
  /** Destination ztunnel steps per node, by outcome id. */
  private readonly ztunnelSteps = new Map<NodeDecisions, (Step | undefined)[]>();
  private readonly waypointSteps = new Map<Waypoint, Map<CheckpointOutcome, Step>>();
  /** Per memoised waypoint chain, its steps with a nearest miss by peer, port and request line. */
  private readonly waypointMisses = new Map<EnvoyPoint, Map<string, Step>>();
  /** Per waypoint chain: whether its decision is the whole of its evidence. */
  private readonly plainChains = new Map<string, boolean>();

  constructor(private readonly compiled: CompiledMesh) {}

  /** The result of the flow just decided on `route` with `decision`, or undefined when only the evidence evaluator can explain it. */
  explain(flow: Flow, route: RouteFacts, decision: Decision): FlowResult | undefined {
    if (route.shape === ROUTE_DIRECT) return this.direct(flow, route, decision);
    if (route.shape === ROUTE_WAYPOINT) return this.viaWaypoint(flow, route, decision);
    if (route.shape === ROUTE_PLAIN) return this.plain(flow, route, decision);
    return undefined;
  }

  /** plan-route.ts `fromAmbient` without a waypoint, into an ambient pod. */
  private direct(flow: Flow, route: RouteFacts, decision: Decision): FlowResult | undefined {
    const source = route.source as WorkloadRecord;
    const dest = route.dest as WorkloadRecord;
    const atZtunnel = this.ztunnelStep(flow, route, route.atZtunnel as TableOutcome);
    if (atZtunnel === undefined) return undefined;
    const at = `source-ztunnel ${source.node ?? '?'}`;
    const steps = this.notes(at, route);
    steps.push(info(at, 'routed-hbone-direct', { workload: dest.uid }), atZtunnel);
    const label = sourceLabel(flow, route, this.compiled);
    const identity = source.identityName;
    const hops: Hop[] = [{ from: label, to: dest.uid, transport: identity ? 'hbone' : 'plaintext', peerIdentity: identity }];
    return result(flow, label, destinationLabel(flow, route), decision, hops, steps);
  }

  /** plan-route.ts `fromAmbient` through the destination's waypoint, then into the pod. */
  private viaWaypoint(flow: Flow, route: RouteFacts, decision: Decision): FlowResult | undefined {
    const source = route.source as WorkloadRecord;
    const dest = route.dest as WorkloadRecord;
    const wp = route.waypoint as Waypoint;
    const outcome = route.atWaypoint as CheckpointOutcome;
    const atWaypoint = this.waypointStep(flow, route, outcome);
    if (atWaypoint === undefined) return undefined;
    const atZtunnel = route.atZtunnel === null ? null : this.ztunnelStep(flow, route, route.atZtunnel);
    if (atZtunnel === undefined) return undefined;
    const at = `source-ztunnel ${source.node ?? '?'}`;
    const steps = this.notes(at, route);
    steps.push(info(at, 'routed-via-waypoint', { waypoint: wp.key }), atWaypoint);
    if (atZtunnel !== null) steps.push(atZtunnel);
    const label = sourceLabel(flow, route, this.compiled);
    const hops: Hop[] = [{ from: label, to: wp.key, transport: 'hbone', peerIdentity: source.identityName }];
    if (outcome.verdict === 'allow') {
      hops.push(dest.enrollment === ENROLLED_AMBIENT
        ? { from: wp.key, to: dest.uid, transport: wp.identity ? 'hbone' : 'plaintext', peerIdentity: wp.identity }
        : { from: wp.key, to: dest.uid, transport: 'plaintext', peerIdentity: null });
    }
    return result(flow, label, destinationLabel(flow, route), decision, hops, steps);
  }

  /** plan-route.ts `fromOutsideMesh` into an ambient pod. */
  private plain(flow: Flow, route: RouteFacts, decision: Decision): FlowResult | undefined {
    const dest = route.dest as WorkloadRecord;
    const atZtunnel = this.ztunnelStep(flow, route, route.atZtunnel as TableOutcome);
    if (atZtunnel === undefined) return undefined;
    const label = sourceLabel(flow, route, this.compiled);
    const steps: Step[] = [info('network', 'routed-plaintext-from-unenrolled', { source: label })];
    const binding = route.service?.service.waypoint;
    if (binding && !binding.problem) steps.push(info('network', 'waypoint-bypassed-pod-addressed', { waypoint: binding.waypoint, reason: 'source-not-in-mesh' }));
    steps.push(atZtunnel);
    const hops: Hop[] = [{ from: label, to: dest.uid, transport: 'plaintext', peerIdentity: null }];
    return result(flow, label, destinationLabel(flow, route), decision, hops, steps);
  }

  /** What the source ztunnel noted while choosing (or not) a waypoint (choose-waypoint.ts). */
  private notes(at: string, route: RouteFacts): Step[] {
    const steps: Step[] = [];
    for (const n of waypointNotes(route, this.compiled)) steps.push(info(at, n.code, n.detail));
    return steps;
  }

  /**
   * evaluate-flow.ts `decisionSteps` at the route's destination ztunnel, when its table has no dry-run
   * policy: one Step per node and outcome, or for a deny with no matching ALLOW policy the point's own
   * step with its nearest miss; else undefined.
   */
  ztunnelStep(flow: Flow, route: RouteFacts, outcome: TableOutcome): Step | undefined {
    const dest = route.dest as WorkloadRecord;
    const table = dest.ztunnel;
    if (table === null || table.hasDryRun) return undefined;
    if (outcome.reason === 'no-allow-policy-matched') return this.missAtZtunnel(route, dest);
    const node = dest.atNode;
    let byId = this.ztunnelSteps.get(node);
    if (byId === undefined) this.ztunnelSteps.set(node, (byId = []));
    let step = byId[outcome.id];
    if (step === undefined) byId[outcome.id] = step = decisionStep(`destination-ztunnel ${node.name}`, outcome);
    return step;
  }

  /**
   * evaluate-flow.ts `decisionSteps` at the route's waypoint, when its chain reports nothing but its
   * decision: one Step per waypoint and outcome, or for a deny with no matching ALLOW policy the
   * point's own step with its nearest miss; else undefined.
   */
  waypointStep(flow: Flow, route: RouteFacts, outcome: CheckpointOutcome): Step | undefined {
    const wp = route.waypoint as Waypoint;
    const service = route.service?.key ?? null;
    if (!this.plainChain(wp, service)) return undefined;
    if (outcome.reason === 'no-allow-policy-matched') return this.missAtWaypoint(flow, route, wp, service);
    return this.sharedWaypointStep(wp, outcome);
  }

  /** The step of an outcome at a waypoint whose chain reports nothing but its decision, other than a deny for want of an ALLOW match. */
  sharedWaypointStep(wp: Waypoint, outcome: CheckpointOutcome): Step {
    let byOutcome = this.waypointSteps.get(wp);
    if (byOutcome === undefined) this.waypointSteps.set(wp, (byOutcome = new Map()));
    let step = byOutcome.get(outcome);
    if (step === undefined) byOutcome.set(outcome, (step = decisionStep(`waypoint ${wp.key}`, outcome)));
    return step;
  }

  /** Whether the chain a route's waypoint applies reports nothing but its decision (see `plainChain`). */
  plainWaypoint(route: RouteFacts): boolean {
    return this.plainChain(route.waypoint as Waypoint, route.service?.key ?? null);
  }

  /**
   * The destination ztunnel's step with its nearest miss, from the connection it sees as plan-route.ts
   * `destinationLeg` builds it (a waypoint's identity and address after a waypoint). The table has no
   * dry-run policy, so evaluate-flow.ts `decisionSteps` gives this one step.
   */
  private missAtZtunnel(route: RouteFacts, dest: WorkloadRecord): Step {
    const wp = route.shape === ROUTE_WAYPOINT ? route.waypoint as Waypoint : null;
    const identity = wp !== null ? wp.identity : route.shape === ROUTE_DIRECT ? (route.source as WorkloadRecord).identityName : null;
    const srcIp = wp !== null ? wp.ips[0] ?? '' : route.srcIp;
    const firstAllow = (dest.ztunnel as ZtunnelTable).firstAllow;
    const miss = firstAllow === null ? undefined
      : ztunnelNearMiss(firstAllow, { srcIdentity: identity, srcIp, dstIp: dest.ip, dstPort: route.ztunnelPort });
    return missStep(`destination-ztunnel ${dest.atNode.name}`, miss);
  }

  /**
   * The waypoint's step with its nearest miss, from the request it sees as plan-route.ts `fromAmbient`
   * builds it. A plain chain has no request authentication and no policy that is not enforced, so
   * evaluate-flow.ts `decisionSteps` gives this one step.
   */
  private missAtWaypoint(flow: Flow, route: RouteFacts, wp: Waypoint, service: string | null): Step {
    const point = this.compiled.envoyPoint(wp.key, service);
    const http = flow.protocol === 'http' ? flow.http : undefined;
    const source = route.source as WorkloadRecord;
    // A memoised chain's rules read the peer, the port and the request line and host alone (waypoint-outcome.ts).
    const key = point.memo === null ? null : JSON.stringify([source.identity, route.waypointPort, http?.method, http?.path, http?.host ?? http?.headers['host']]);
    let memo = this.waypointMisses.get(point);
    if (memo === undefined || memo.size >= MEMO_LIMIT) this.waypointMisses.set(point, (memo = new Map()));
    const known = key === null ? undefined : memo.get(key);
    if (known !== undefined) return known;
    const miss = waypointNearMiss(point.policies, {
      srcIdentity: source.identityName, srcIp: route.srcIp, dstIp: route.waypointDstIp, dstPort: route.waypointPort,
      http, l7Unknown: flow.l7Unknown,
    }, this.compiled.index.mesh.meshConfig);
    const step = missStep(`waypoint ${wp.key}`, miss);
    if (key !== null) memo.set(key, step);
    return step;
  }

  /** No RequestAuthentication (its facts), and no dry-run, AUDIT or CUSTOM policy (their notes). */
  private plainChain(wp: Waypoint, service: string | null): boolean {
    const key = `${wp.key}\n${service ?? ''}`;
    let plain = this.plainChains.get(key);
    if (plain === undefined) {
      const point = this.compiled.envoyPoint(wp.key, service);
      plain = point.requestAuthentications.length === 0
        && point.policies.every((c) => !c.policy.dryRun && c.policy.action !== 'AUDIT' && c.policy.action !== 'CUSTOM');
      this.plainChains.set(key, plain);
    }
    return plain;
  }
}

/** A deny for want of a matching ALLOW policy, in the shape `decisionSteps` gives it. */
function missStep(at: string, nearMiss: NearMiss | undefined): Step {
  return { at, code: 'no-allow-policy-matched', effect: 'deny', policy: undefined, rule: undefined, nearMiss, detail: undefined };
}

/** The notes of the source ztunnel's waypoint choice (choose-waypoint.ts) for the route's source, Service and pod. */
export function waypointNotes(route: RouteFacts, compiled: CompiledMesh): WaypointChoice['notes'] {
  const source = route.source as WorkloadRecord;
  return chooseWaypoint(source.workload, route.service?.service ?? null, (route.dest as WorkloadRecord).workload, compiled.index).notes;
}

/** The decision's own step, in the shape `decisionSteps` gives it. */
export function decisionStep(at: string, outcome: CheckpointOutcome): Step {
  return {
    at, code: outcome.reason, effect: outcome.verdict,
    policy: outcome.policy ?? undefined, rule: outcome.rule ?? undefined, nearMiss: undefined, detail: undefined,
  };
}

/** endpoints.ts `resolveSource`: the name the flow gave, else the pod, node or address it came from. */
export function sourceLabel(flow: Flow, route: RouteFacts, compiled: CompiledMesh): string {
  const named = flow.source.workload;
  if (named !== undefined) return named;
  if (route.source !== null) return route.source.uid;
  const node = compiled.index.nodeByIp.get(route.srcIp);
  return node ? `node/${node}` : route.srcIp;
}

/** endpoints.ts `resolveDestination`: the Service or pod as the flow named it, else as its address resolved. */
function destinationLabel(flow: Flow, route: RouteFacts): string {
  const d = flow.destination;
  if (d.service !== undefined) return `${d.service}:${d.port}`;
  if (d.workload !== undefined) return `${d.workload}:${d.port}`;
  return `${route.service !== null ? route.service.key : (route.dest as WorkloadRecord).uid}:${d.port}`;
}

/** A result in the contract's field order (evaluate-flow.ts). */
function result(flow: Flow, source: string, destination: string, d: Decision, hops: readonly Hop[], steps: readonly Step[]): FlowResult {
  return {
    id: flow.id, source, destination, verdict: d.verdict, encrypted: d.encrypted, decidedBy: d.decidedBy,
    policy: d.policy, rule: d.rule, reason: d.reason, hops, steps,
  };
}
