import type { CheckpointOutcome, Decision } from '../model/decision.js';
import type { Flow } from '../model/flow.js';
import type { Step } from '../model/result.js';
import type { Waypoint } from '../model/mesh.js';
import type { CompiledMesh } from './compiled-mesh.js';
import { ENROLLED_AMBIENT, type NodeDecisions, type ServiceRecord, type WorkloadRecord } from './records.js';
import { decisionStep, RouteExplainer, sourceLabel, waypointNotes } from './route-explanation.js';
import { recordedOrigin } from './recorded-origin.js';
import { info } from './route/plan-route.js';
import { ROUTE_DIRECT, ROUTE_PLAIN, ROUTE_WAYPOINT, type RouteFacts } from './route-facts.js';
import type { TableOutcome } from './ztunnel-table.js';

type Notes = ReturnType<typeof waypointNotes>;

/** A pod's name and identity as JSON values, and the waypoint choice's notes for traffic to it. */
interface PodJson {
  readonly uid: string;
  readonly identity: string;
  /** Notes for traffic addressed to the pod, and to a Service without a waypoint binding (choose-waypoint.ts). */
  podAddressed?: Notes;
  serviceAddressed?: Notes;
}

/**
 * Writes the result of the flow just decided as the JSON contract writes it, byte for byte what
 * `JSON.stringify` writes of {@link RouteExplainer}'s result, without building that result: the line
 * is joined from JSON kept per decision (verdict to reason), per pod, waypoint and node (names,
 * identities, the source ztunnel's `at`) and per shared step (an enforcement point's outcome), with
 * only the flow's own id and labels quoted per flow, and a recorded flow's origin. It answers exactly
 * where the explainer answers, and not for flows with application TLS; a property test holds both equal.
 */
export class RouteJson {
  private readonly explainer: RouteExplainer;
  private readonly decisions = new Map<Decision, string>();
  /** By the record's tunnel end id (dense, one per record). */
  private readonly pods: (PodJson | undefined)[] = [];
  private readonly waypoints = new Map<Waypoint, string>();
  /** `{"at":"source-ztunnel <node>"`, by node (null: no node). */
  private readonly sourceAt = new Map<string | null, string>();
  /** Destination ztunnel steps per node, by outcome id. */
  private readonly ztunnelSteps = new Map<NodeDecisions, string[]>();
  /** Waypoint steps per waypoint, Service (null: pod-addressed) and outcome; null when the explainer leaves it to the evidence evaluator. */
  private readonly waypointSteps = new Map<Waypoint, Map<ServiceRecord | null, Map<CheckpointOutcome, string | null>>>();
  /** Notes for traffic to a Service whose waypoint binding exists (they depend on the Service alone). */
  private readonly boundNotes = new Map<ServiceRecord, Notes>();
  /** The plaintext route's bypass note per Service ('' when there is none). */
  private readonly bypassed = new Map<ServiceRecord, string>();

  constructor(private readonly compiled: CompiledMesh) {
    this.explainer = new RouteExplainer(compiled);
  }

  /** The flow's result as one line of JSON (no newline), or undefined when its result has to be built. */
  json(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    if (flow.appTls !== undefined) return undefined;
    if (route.shape === ROUTE_DIRECT) return this.direct(flow, route, decision);
    if (route.shape === ROUTE_WAYPOINT) return this.viaWaypoint(flow, route, decision);
    if (route.shape === ROUTE_PLAIN) return this.plain(flow, route, decision);
    return undefined;
  }

  /** route-explanation.ts `direct`. */
  private direct(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    const source = route.source as WorkloadRecord;
    const dest = route.dest as WorkloadRecord;
    const atZtunnel = this.ztunnelStep(flow, route, route.atZtunnel as TableOutcome);
    if (atZtunnel === undefined) return undefined;
    const at = this.atSource(source);
    const to = this.pod(dest);
    const label = sourceLabel(flow, route, this.compiled);
    const from = this.label(label, route);
    const identity = source.identityName;
    const hops = `[{"from":${from},"to":${to.uid},"transport":${identity ? '"hbone"' : '"plaintext"'},"peerIdentity":${this.pod(source).identity}}]`;
    const steps = `[${this.notesJson(at, route)}${at},"code":"routed-hbone-direct","effect":"info","detail":{"workload":${to.uid}}},${atZtunnel}]`;
    return this.line(flow, from, route, decision, hops, steps);
  }

  /** route-explanation.ts `viaWaypoint`. */
  private viaWaypoint(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    const source = route.source as WorkloadRecord;
    const dest = route.dest as WorkloadRecord;
    const wp = route.waypoint as Waypoint;
    const outcome = route.atWaypoint as CheckpointOutcome;
    const atWaypoint = this.waypointStep(flow, route, outcome);
    if (atWaypoint === null) return undefined;
    const atZtunnel = route.atZtunnel === null ? null : this.ztunnelStep(flow, route, route.atZtunnel);
    if (atZtunnel === undefined) return undefined;
    const at = this.atSource(source);
    const key = this.waypoint(wp);
    const from = this.label(sourceLabel(flow, route, this.compiled), route);
    let hops = `[{"from":${from},"to":${key},"transport":"hbone","peerIdentity":${this.pod(source).identity}}`;
    if (outcome.verdict === 'allow') {
      const ambient = dest.enrollment === ENROLLED_AMBIENT;
      const transport = ambient && wp.identity ? '"hbone"' : '"plaintext"';
      hops += `,{"from":${key},"to":${this.pod(dest).uid},"transport":${transport},"peerIdentity":${ambient ? JSON.stringify(wp.identity) : 'null'}}`;
    }
    const tail = atZtunnel === null ? ']' : `,${atZtunnel}]`;
    const steps = `[${this.notesJson(at, route)}${at},"code":"routed-via-waypoint","effect":"info","detail":{"waypoint":${key}}},${atWaypoint}${tail}`;
    return this.line(flow, from, route, decision, `${hops}]`, steps);
  }

  /** route-explanation.ts `plain`. */
  private plain(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    const dest = route.dest as WorkloadRecord;
    const atZtunnel = this.ztunnelStep(flow, route, route.atZtunnel as TableOutcome);
    if (atZtunnel === undefined) return undefined;
    const from = this.label(sourceLabel(flow, route, this.compiled), route);
    const hops = `[{"from":${from},"to":${this.pod(dest).uid},"transport":"plaintext","peerIdentity":null}]`;
    const bypass = route.service === null ? '' : this.bypassNote(route.service);
    const steps = `[{"at":"network","code":"routed-plaintext-from-unenrolled","effect":"info","detail":{"source":${from}}}${bypass},${atZtunnel}]`;
    return this.line(flow, from, route, decision, hops, steps);
  }

  /** The result's members in the contract's order (result-json.ts), its id and labels per flow. */
  private line(flow: Flow, source: string, route: RouteFacts, decision: Decision, hops: string, steps: string): string {
    return `{"id":${JSON.stringify(flow.id)},"source":${source},"destination":${this.destination(flow, route)}${this.decision(decision)},"hops":${hops},"steps":${steps}${originJson(flow)}}`;
  }

  /** route-explanation.ts `destinationLabel`, as JSON. */
  private destination(flow: Flow, route: RouteFacts): string {
    const d = flow.destination;
    if (d.service !== undefined) return JSON.stringify(`${d.service}:${d.port}`);
    if (d.workload !== undefined) return JSON.stringify(`${d.workload}:${d.port}`);
    return JSON.stringify(`${route.service !== null ? route.service.key : (route.dest as WorkloadRecord).uid}:${d.port}`);
  }

  /** The source label as JSON; the pod's own name is quoted once. */
  private label(label: string, route: RouteFacts): string {
    return route.source !== null && label === route.source.uid ? this.pod(route.source).uid : JSON.stringify(label);
  }

  /** `,"verdict":…,"reason":…` of a shared decision. */
  private decision(d: Decision): string {
    let json = this.decisions.get(d);
    if (json === undefined) {
      json = `,"verdict":${JSON.stringify(d.verdict)},"encrypted":${JSON.stringify(d.encrypted)},"decidedBy":{"component":${JSON.stringify(d.decidedBy.component)},"name":${JSON.stringify(d.decidedBy.name)}},"policy":${JSON.stringify(d.policy)},"rule":${JSON.stringify(d.rule)},"reason":${JSON.stringify(d.reason)}`;
      this.decisions.set(d, json);
    }
    return json;
  }

  /** route-explanation.ts `ztunnelStep`, as JSON. */
  private ztunnelStep(flow: Flow, route: RouteFacts, outcome: TableOutcome): string | undefined {
    const dest = route.dest as WorkloadRecord;
    const table = dest.ztunnel;
    if (table === null || table.hasDryRun) return undefined;
    if (outcome.reason === 'no-allow-policy-matched') return stepJson(this.explainer.ztunnelStep(flow, route, outcome));
    const node = dest.atNode;
    let byId = this.ztunnelSteps.get(node);
    if (byId === undefined) this.ztunnelSteps.set(node, (byId = []));
    let json = byId[outcome.id];
    if (json === undefined) byId[outcome.id] = json = JSON.stringify(decisionStep(`destination-ztunnel ${node.name}`, outcome));
    return json;
  }

  /** route-explanation.ts `waypointStep`, as JSON; null where it answers undefined. */
  private waypointStep(flow: Flow, route: RouteFacts, outcome: CheckpointOutcome): string | null {
    if (outcome.reason === 'no-allow-policy-matched') return stepJson(this.explainer.waypointStep(flow, route, outcome)) ?? null;
    const wp = route.waypoint as Waypoint;
    const service = route.service;
    let byService = this.waypointSteps.get(wp);
    if (byService === undefined) this.waypointSteps.set(wp, (byService = new Map()));
    let byOutcome = byService.get(service);
    if (byOutcome === undefined) byService.set(service, (byOutcome = new Map()));
    let json = byOutcome.get(outcome);
    if (json === undefined) {
      json = this.explainer.plainWaypoint(route) ? JSON.stringify(this.explainer.sharedWaypointStep(wp, outcome)) : null;
      byOutcome.set(outcome, json);
    }
    return json;
  }

  private pod(r: WorkloadRecord): PodJson {
    let json = this.pods[r.end];
    if (json === undefined) this.pods[r.end] = json = { uid: JSON.stringify(r.uid), identity: JSON.stringify(r.identityName) };
    return json;
  }

  private waypoint(wp: Waypoint): string {
    let json = this.waypoints.get(wp);
    if (json === undefined) this.waypoints.set(wp, (json = JSON.stringify(wp.key)));
    return json;
  }

  /** `{"at":"source-ztunnel <node>"`, the start of a step at the source's ztunnel. */
  private atSource(source: WorkloadRecord): string {
    let json = this.sourceAt.get(source.node);
    if (json === undefined) this.sourceAt.set(source.node, (json = `{"at":${JSON.stringify(`source-ztunnel ${source.node ?? '?'}`)}`));
    return json;
  }

  /** The source ztunnel's notes on its waypoint choice, each step followed by a comma. */
  private notesJson(at: string, route: RouteFacts): string {
    const notes = this.choiceNotes(route);
    if (notes.length === 0) return '';
    let json = '';
    for (const n of notes) json += `${at}${JSON.stringify(info('', n.code, n.detail)).slice('{"at":""'.length)},`;
    return json;
  }

  /**
   * choose-waypoint.ts `chooseWaypoint` reads the source only for the waypoint it implements; for
   * other sources the notes are kept per pod (pod-addressed, or a Service without waypoint binding:
   * then only the pod's own binding counts) and per Service (with a binding: only the Service's counts).
   */
  private choiceNotes(route: RouteFacts): Notes {
    if ((route.source as WorkloadRecord).workload.waypointFor !== undefined) return waypointNotes(route, this.compiled);
    const service = route.service;
    if (service !== null && service.service.waypoint !== undefined) {
      let notes = this.boundNotes.get(service);
      if (notes === undefined) this.boundNotes.set(service, (notes = waypointNotes(route, this.compiled)));
      return notes;
    }
    const pod = this.pod(route.dest as WorkloadRecord);
    if (service === null) return (pod.podAddressed ??= waypointNotes(route, this.compiled));
    return (pod.serviceAddressed ??= waypointNotes(route, this.compiled));
  }

  /** route-explanation.ts `plain`: a pod-addressed Service waypoint the unenrolled source bypasses. */
  private bypassNote(service: ServiceRecord): string {
    let json = this.bypassed.get(service);
    if (json === undefined) {
      const binding = service.service.waypoint;
      json = binding && !binding.problem ? `,${JSON.stringify(info('network', 'waypoint-bypassed-pod-addressed', { waypoint: binding.waypoint, reason: 'source-not-in-mesh' }))}` : '';
      this.bypassed.set(service, json);
    }
    return json;
  }
}

/** A step as JSON, or undefined. */
function stepJson(step: Step | undefined): string | undefined {
  return step === undefined ? undefined : JSON.stringify(step);
}

/** `,"origin":…` of a flow from a capture or flow log, as withRecordedFacts (sim/recorded-facts.ts) adds it; else ''. */
function originJson(flow: Flow): string {
  if (flow.origin === undefined) return '';
  const origin = recordedOrigin(flow);
  return origin === undefined ? '' : `,"origin":${JSON.stringify(origin)}`;
}
