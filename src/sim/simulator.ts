import type { FlowEvaluation } from '../core/evaluate-flow.js';
import { EvaluationCache } from '../core/evaluation-cache.js';
import type { MeshIndex } from '../core/mesh-index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { ComponentCounters, FlowResult, SimulationReport, Summary } from '../model/result.js';
import { ComponentState } from './component-state.js';
import { withRecordedFacts } from './recorded-facts.js';
import { flowEvents, type TimelineEvent } from './timeline.js';

/**
 * The discrete-event simulation: processes timeline events in order through stateful components (one
 * ztunnel per node, each waypoint), calling the pure core for every decision.
 */
export class Simulator {
  /** Per kind, by name: names are strings the mesh already holds, so lookups need no new key string. */
  private readonly components = { ztunnel: new Map<string, ComponentState>(), waypoint: new Map<string, ComponentState>(), sidecar: new Map<string, ComponentState>() };
  private allowed = 0;
  private denied = 0;
  private unencrypted = 0;
  private flows = 0;

  private readonly cache: EvaluationCache;

  constructor(private readonly index: MeshIndex) {
    this.cache = new EvaluationCache(index);
  }

  /** Processes one event; for a flow, returns its evaluation. */
  process(event: TimelineEvent): FlowEvaluation {
    return this.processFlow(event.flow);
  }

  /** Evaluates a flow and updates the components it crosses. */
  processFlow(flow: Flow): FlowEvaluation {
    const evaluation = this.cache.evaluate(flow);
    this.account(flow, evaluation);
    const result = withRecordedFacts(flow, evaluation.result);
    return result === evaluation.result ? evaluation : { ...evaluation, result };
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

  private component(kind: 'ztunnel' | 'waypoint' | 'sidecar', name: string): ComponentState {
    const map = this.components[kind];
    let c = map.get(name);
    if (!c) {
      c = new ComponentState(kind, name);
      map.set(name, c);
    }
    return c;
  }

  private account(flow: Flow, evaluation: FlowEvaluation): void {
    const r = evaluation.result;
    this.flows++;
    if (r.verdict === 'allow') this.allowed++;
    else this.denied++;
    if (!r.encrypted) this.unencrypted++;
    r.hops.forEach((hop, i) => {
      if (hop.transport !== 'hbone') return;
      // The first hop leaves the source node's ztunnel; a later one leaves a waypoint.
      const sender = i === 0 && evaluation.sourceNode !== undefined
        ? this.component('ztunnel', evaluation.sourceNode)
        : this.index.waypointByKey.has(hop.from) ? this.component('waypoint', hop.from) : undefined;
      sender?.useTunnel(hop.peerIdentity, hop.from, hop.to);
    });
    for (const { checkpoint, decision } of evaluation.decisions) {
      const kind = checkpoint.component === 'destination-ztunnel' ? 'ztunnel' : checkpoint.component;
      const c = this.component(kind, checkpoint.name);
      c.connections++;
      if (flow.protocol === 'http' && kind !== 'ztunnel') c.requests++;
      if (decision.verdict === 'deny') c.denials++;
    }
  }
}

/** Runs flows in time order and returns the report; results keep the input order of the flows. */
export function simulate(index: MeshIndex, flows: readonly Flow[], diagnostics: readonly Diagnostic[] = []): SimulationReport {
  const sim = new Simulator(index);
  const results = new Array<FlowResult>(flows.length);
  for (const event of flowEvents(flows)) results[event.seq] = sim.process(event).result;
  return { schemaVersion: 1, results, diagnostics: [...index.mesh.diagnostics, ...diagnostics], summary: sim.summary() };
}
