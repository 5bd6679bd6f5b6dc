import type { FlowEvaluation } from '../dataplane/evaluate-flow.js';
import { EvaluationCache } from '../dataplane/evaluation-cache.js';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import { VerdictPath } from '../dataplane/decide.js';
import { RouteExplainer } from '../dataplane/route-explanation.js';
import type { TunnelEnd } from '../dataplane/path-trace.js';
import type { Decision } from '../model/decision.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { ComponentCounters, FlowResult, SimulationReport, Summary } from '../model/result.js';
import { ComponentState } from './component-state.js';
import { withRecordedFacts } from './recorded-facts.js';
import { flowEvents, type TimelineEvent } from './timeline.js';

/** A decided flow; its result (the decision with its evidence) is built when first read. */
export interface SimulatedFlow {
  readonly flow: Flow;
  readonly decision: Decision;
  readonly result: FlowResult;
}

/**
 * The discrete-event simulation: processes timeline events in order through stateful components (one
 * ztunnel per node, each waypoint and sidecar). Every flow is decided on the compiled verdict path,
 * which allocates nothing; its explanation (hops, steps, every policy evaluated) is built only when a
 * caller asks for its result.
 */
export class Simulator {
  /** Per kind, by name: names are strings the mesh already holds, so lookups need no new key string. */
  private readonly components = { ztunnel: new Map<string, ComponentState>(), waypoint: new Map<string, ComponentState>(), sidecar: new Map<string, ComponentState>() };
  /** The same components by the verdict path's dense ids (PathTrace `ids`), filled from the maps on first use. */
  private readonly byId = { ztunnel: [] as (ComponentState | undefined)[], waypoint: [] as (ComponentState | undefined)[], sidecar: [] as (ComponentState | undefined)[] };
  private allowed = 0;
  private denied = 0;
  private unencrypted = 0;
  private flows = 0;
  private readonly path: VerdictPath;
  private readonly cache: EvaluationCache;
  private readonly explainer: RouteExplainer;
  /** The flow last decided, and its decision: its route is still in the verdict path's facts. */
  private lastFlow: Flow | undefined;
  private lastDecision: Decision | undefined;

  /**
   * With `logTunnels`: every HBONE request the components' pools served since the caller last emptied
   * it, four numbers each: the sending component, then the identity, from and to, each the number of a
   * stable name in `tunnelNames` (`kind/sender`; a SPIFFE ID; an end by `stableEndName`). A run split
   * over threads replays them through one set of pools, in input order.
   */
  readonly tunnelLog: number[] = [];
  /** The names `tunnelLog` numbers, in the order they were first used. */
  readonly tunnelNames: string[] = [];
  private readonly tunnelNumbers = new Map<string, number>();
  private readonly senderNumbers = { ztunnel: new Map<string, number>(), waypoint: new Map<string, number>() };
  private readonly identityNumbers: number[] = [];
  private readonly endNumbers: number[] = [];

  /** `counters: false` leaves component counters and pools out (a diff compares decisions only). */
  constructor(index: MeshIndex, private readonly options: { readonly counters?: boolean; readonly logTunnels?: boolean } = {}) {
    this.path = new VerdictPath(index);
    this.cache = new EvaluationCache(index);
    this.explainer = new RouteExplainer(this.path.compiled);
  }

  /** Processes one event; for a flow, returns it decided. */
  process(event: TimelineEvent): SimulatedFlow {
    return this.processFlow(event.flow);
  }

  /** Decides a flow, updates the components it crosses, and returns it with its result built on demand. */
  processFlow(flow: Flow): SimulatedFlow {
    const decision = this.decide(flow);
    return new DecidedFlow(this, flow, decision, this.path.lastEvaluation);
  }

  /** The evidence the verdict path built for the last flow it decided, when it took the evidence evaluator. */
  get lastEvaluation(): FlowEvaluation | undefined {
    return this.path.lastEvaluation;
  }

  /** The verdict path: decides a flow and counts it; allocates nothing for flows it has seen the like of. */
  decide(flow: Flow): Decision {
    const decision = this.path.decide(flow);
    this.account(flow, decision);
    this.lastFlow = flow;
    this.lastDecision = decision;
    return decision;
  }

  /**
   * The flow's full result, as the JSON contract writes it: the decision with hops and steps and what
   * a recording says about the flow. For the flow just decided, explained from the route the verdict
   * path took (RouteExplainer) when that route says it all; otherwise by the evidence evaluator,
   * memoised per class of flows (see EvaluationCache).
   */
  resultOf(flow: Flow, evaluation?: FlowEvaluation): FlowResult {
    if (evaluation !== undefined) return withRecordedFacts(flow, evaluation.result);
    if (flow === this.lastFlow) {
      const explained = this.explainer.explain(flow, this.path.route, this.lastDecision as Decision);
      if (explained !== undefined) return withRecordedFacts(flow, explained);
    }
    return withRecordedFacts(flow, this.cache.evaluate(flow).result);
  }

  summary(): Summary {
    return {
      flows: this.flows, allowed: this.allowed, denied: this.denied, unencrypted: this.unencrypted,
      components: this.counters(),
    };
  }

  counters(): ComponentCounters[] {
    const byName = (m: Map<string, ComponentState>) => [...m.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    return [...byName(this.components.waypoint), ...byName(this.components.ztunnel), ...byName(this.components.sidecar)].map((c) => c.snapshot());
  }

  /**
   * The HBONE tunnels every component's pool holds, by `kind/name`, each as `identity from to` (see
   * ComponentState `tunnels`), and the components whose pool overflowed: what a shard's report gives
   * `merge` so that a tunnel two shards opened is counted once.
   */
  pooledTunnels(): { readonly tunnels: Record<string, string[]>; readonly overflowed: string[] } {
    const compiled = this.path.compiled;
    const name = (part: number, place: 'identity' | 'end'): string => (place === 'identity' ? compiled.identities.nameOf(part) ?? '-' : compiled.stableEndName(part));
    const tunnels: Record<string, string[]> = {};
    const overflowed: string[] = [];
    for (const c of this.counters()) {
      const state = this.components[c.kind].get(c.component) as ComponentState;
      const key = `${c.kind}/${c.component}`;
      const held = state.tunnels(name);
      if (held.length > 0) tunnels[key] = held;
      if (state.overflowed) overflowed.push(key);
    }
    return { tunnels, overflowed };
  }

  /** The component of a dense id (as the trace gives it, with its name), else of the name. */
  private componentOf(kind: 'ztunnel' | 'waypoint' | 'sidecar', id: number, name: string): ComponentState {
    if (id < 0) return this.component(kind, name);
    const byId = this.byId[kind];
    // Filled up to the id first, so the array stays dense.
    while (byId.length <= id) byId.push(undefined);
    return (byId[id] ??= this.component(kind, name));
  }

  private component(kind: 'ztunnel' | 'waypoint' | 'sidecar', name: string): ComponentState {
    const map = this.components[kind];
    let c = map.get(name);
    if (!c) {
      c = new ComponentState(kind, name);
      map.set(name, c);
    }
    return c;
  }

  private account(flow: Flow, decision: Decision): void {
    this.flows++;
    if (decision.verdict === 'allow') this.allowed++;
    else this.denied++;
    if (!decision.encrypted) this.unencrypted++;
    if (this.options.counters === false) return;
    const trace = this.path.trace;
    for (let i = 0; i < trace.tunnels; i++) {
      const kind = trace.senderKinds[i] as 'ztunnel' | 'waypoint';
      this.componentOf(kind, trace.senderIds[i] as number, trace.senders[i] as string)
        .useTunnel(trace.identities[i] as number, trace.froms[i] as TunnelEnd, trace.tos[i] as TunnelEnd);
      if (this.options.logTunnels) this.logTunnel(kind, trace.senders[i] as string, trace.identities[i] as number, trace.froms[i] as TunnelEnd, trace.tos[i] as TunnelEnd);
    }
    const http = flow.protocol === 'http';
    for (let i = 0; i < trace.checkpoints; i++) {
      const kind = trace.kinds[i] as 'ztunnel' | 'waypoint' | 'sidecar';
      const c = this.componentOf(kind, trace.ids[i] as number, trace.names[i] as string);
      c.connections++;
      if (http && kind !== 'ztunnel') c.requests++;
      if (trace.denied[i]) c.denials++;
    }
  }

  private logTunnel(kind: 'ztunnel' | 'waypoint', sender: string, identity: number, from: TunnelEnd, to: TunnelEnd): void {
    const log = this.tunnelLog;
    const senders = this.senderNumbers[kind];
    let s = senders.get(sender);
    if (s === undefined) senders.set(sender, (s = this.tunnelNumber(`${kind}/${sender}`)));
    let i = this.identityNumbers[identity];
    if (i === undefined) this.identityNumbers[identity] = i = this.tunnelNumber(this.path.compiled.identities.nameOf(identity) ?? '');
    log.push(s, i, this.endNumber(from), this.endNumber(to));
  }

  /** An end's number in `tunnelNames`, by its stable name (CompiledMesh `stableEndName`), looked up once per end. */
  private endNumber(end: TunnelEnd): number {
    if (typeof end === 'string') return this.tunnelNumber(this.path.compiled.stableEndName(end));
    let n = this.endNumbers[end];
    if (n === undefined) this.endNumbers[end] = n = this.tunnelNumber(this.path.compiled.stableEndName(end));
    return n;
  }

  private tunnelNumber(name: string): number {
    let n = this.tunnelNumbers.get(name);
    if (n === undefined) {
      this.tunnelNumbers.set(name, (n = this.tunnelNames.length));
      this.tunnelNames.push(name);
    }
    return n;
  }

  /** The verdict path's compiled mesh and the route of the flow last decided (read it before the next is decided). */
  get verdictPath(): Pick<VerdictPath, 'route' | 'compiled'> {
    return this.path;
  }
}

/** A decided flow whose result is explained the first time it is read. */
class DecidedFlow implements SimulatedFlow {
  private explained: FlowResult | undefined;

  constructor(private readonly sim: Simulator, readonly flow: Flow, readonly decision: Decision, private readonly evaluation: FlowEvaluation | undefined) {}

  get result(): FlowResult {
    return (this.explained ??= this.sim.resultOf(this.flow, this.evaluation));
  }
}

/** Runs flows in time order and returns the report; results keep the input order of the flows. */
export function simulate(index: MeshIndex, flows: readonly Flow[], diagnostics: readonly Diagnostic[] = []): SimulationReport {
  const sim = new Simulator(index);
  const results = new Array<FlowResult>(flows.length);
  for (const event of flowEvents(flows)) results[event.seq] = sim.process(event).result;
  const all = index.mesh.diagnostics.concat(diagnostics);
  return { schemaVersion: 1, results, diagnostics: all, summary: sim.summary() };
}
