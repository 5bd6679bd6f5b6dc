import type { CheckpointOutcome, Decision } from '../model/decision.js';
import type { Flow } from '../model/flow.js';
import type { Waypoint } from '../model/mesh.js';
import type { Step } from '../model/result.js';
import type { CompiledMesh } from './compiled-mesh.js';
import { ENROLLED_AMBIENT, type ServiceRecord, type WorkloadRecord } from './records.js';
import { RouteExplainer, sourceLabel, waypointNotes } from './route-explanation.js';
import { info } from './route/plan-route.js';
import { ROUTE_DIRECT, ROUTE_PLAIN, ROUTE_WAYPOINT, type RouteFacts } from './route-facts.js';
import type { TableOutcome } from './ztunnel-table.js';

/** A pod's name and identity as JSON values. */
interface PodJson {
  readonly uid: string;
  readonly identity: string;
}

type Notes = ReturnType<typeof waypointNotes>;

/**
 * Writes the result of the flow just decided as the JSON contract writes it, byte for byte what
 * `JSON.stringify` writes of {@link RouteExplainer}'s result, without building that result: the line
 * is joined from JSON kept per decision (verdict to reason), per pod, waypoint and node (names,
 * identities, the source ztunnel's `at`) and per shared step (an enforcement point's outcome), with
 * only the flow's own id and labels quoted per flow. It answers exactly where the explainer answers,
 * and not for flows carrying recorded facts (application TLS, a capture or flow-log origin); a
 * property test holds both equal.
 */
export class RouteJson {
  private readonly explainer: RouteExplainer;
  private readonly decisions = new Map<Decision, string>();
  private readonly steps = new WeakMap<Step, string>();
  private readonly pods = new Map<WorkloadRecord, PodJson>();
  private readonly waypoints = new Map<Waypoint, string>();
  /** `{"at":"source-ztunnel <node>"`, by node (null: no node). */
  private readonly sourceAt = new Map<string | null, string>();
  /** The waypoint choice's notes per pod and Service (null: pod-addressed), for sources that implement no waypoint. */
  private readonly notes = new Map<WorkloadRecord, Map<ServiceRecord | null, Notes>>();
  /** The plaintext route's bypass note per Service ('' when there is none). */
  private readonly bypassed = new Map<ServiceRecord, string>();

  constructor(private readonly compiled: CompiledMesh) {
    this.explainer = new RouteExplainer(compiled);
  }

  /** The flow's result as one line of JSON (no newline), or undefined when its result has to be built. */
  json(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    if (flow.appTls !== undefined || recorded(flow)) return undefined;
    if (route.shape === ROUTE_DIRECT) return this.direct(flow, route, decision);
    if (route.shape === ROUTE_WAYPOINT) return this.viaWaypoint(flow, route, decision);
    if (route.shape === ROUTE_PLAIN) return this.plain(flow, route, decision);
    return undefined;
  }

  /** route-explanation.ts `direct`. */
  private direct(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    const source = route.source as WorkloadRecord;
    const dest = route.dest as WorkloadRecord;
    const atZtunnel = this.explainer.ztunnelStep(dest, route.atZtunnel as TableOutcome);
    if (atZtunnel === undefined) return undefined;
    const at = this.atSource(source);
    const to = this.pod(dest);
    const label = sourceLabel(flow, route, this.compiled);
    const from = this.label(label, route);
    const identity = source.identityName;
    const hops = `[{"from":${from},"to":${to.uid},"transport":${identity ? '"hbone"' : '"plaintext"'},"peerIdentity":${this.pod(source).identity}}]`;
    const steps = `[${this.notesJson(at, route)}${at},"code":"routed-hbone-direct","effect":"info","detail":{"workload":${to.uid}}},${this.step(atZtunnel)}]`;
    return this.line(flow, from, route, decision, hops, steps);
  }

  /** route-explanation.ts `viaWaypoint`. */
  private viaWaypoint(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    const source = route.source as WorkloadRecord;
    const dest = route.dest as WorkloadRecord;
    const wp = route.waypoint as Waypoint;
    const outcome = route.atWaypoint as CheckpointOutcome;
    const atWaypoint = this.explainer.waypointStep(wp, route.service?.key ?? null, outcome);
    if (atWaypoint === undefined) return undefined;
    const atZtunnel = route.atZtunnel === null ? null : this.explainer.ztunnelStep(dest, route.atZtunnel);
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
    const tail = atZtunnel === null ? ']' : `,${this.step(atZtunnel)}]`;
    const steps = `[${this.notesJson(at, route)}${at},"code":"routed-via-waypoint","effect":"info","detail":{"waypoint":${key}}},${this.step(atWaypoint)}${tail}`;
    return this.line(flow, from, route, decision, `${hops}]`, steps);
  }

  /** route-explanation.ts `plain`. */
  private plain(flow: Flow, route: RouteFacts, decision: Decision): string | undefined {
    const dest = route.dest as WorkloadRecord;
    const atZtunnel = this.explainer.ztunnelStep(dest, route.atZtunnel as TableOutcome);
    if (atZtunnel === undefined) return undefined;
    const from = this.label(sourceLabel(flow, route, this.compiled), route);
    const hops = `[{"from":${from},"to":${this.pod(dest).uid},"transport":"plaintext","peerIdentity":null}]`;
    const bypass = route.service === null ? '' : this.bypassNote(route.service);
    const steps = `[{"at":"network","code":"routed-plaintext-from-unenrolled","effect":"info","detail":{"source":${from}}}${bypass},${this.step(atZtunnel)}]`;
    return this.line(flow, from, route, decision, hops, steps);
  }

  /** The result's members in the contract's order (result-json.ts), its id and labels per flow. */
  private line(flow: Flow, source: string, route: RouteFacts, decision: Decision, hops: string, steps: string): string {
    return `{"id":${JSON.stringify(flow.id)},"source":${source},"destination":${this.destination(flow, route)}${this.decision(decision)},"hops":${hops},"steps":${steps}}`;
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

  /** A shared step (an enforcement point's outcome) as JSON. */
  private step(s: Step): string {
    let json = this.steps.get(s);
    if (json === undefined) this.steps.set(s, (json = JSON.stringify(s)));
    return json;
  }

  private pod(r: WorkloadRecord): PodJson {
    let json = this.pods.get(r);
    if (json === undefined) this.pods.set(r, (json = { uid: JSON.stringify(r.uid), identity: JSON.stringify(r.identityName) }));
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
    let json = '';
    for (const n of notes) json += `${at}${JSON.stringify(info('', n.code, n.detail)).slice('{"at":""'.length)},`;
    return json;
  }

  /** The notes depend on the source only through the waypoint it implements, so they are kept per pod and Service for the others. */
  private choiceNotes(route: RouteFacts): Notes {
    if ((route.source as WorkloadRecord).workload.waypointFor !== undefined) return waypointNotes(route, this.compiled);
    const dest = route.dest as WorkloadRecord;
    let byService = this.notes.get(dest);
    if (byService === undefined) this.notes.set(dest, (byService = new Map()));
    let notes = byService.get(route.service);
    if (notes === undefined) byService.set(route.service, (notes = waypointNotes(route, this.compiled)));
    return notes;
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

/** withRecordedFacts (sim/recorded-facts.ts) adds an origin to flows from captures and flow logs. */
function recorded(flow: Flow): boolean {
  const kind = flow.origin?.kind;
  return kind === 'capture' || kind === 'flow-log';
}
