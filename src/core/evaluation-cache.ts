import type { Flow } from '../model/flow.js';
import { evaluateFlow, type FlowEvaluation } from './evaluate-flow.js';
import type { MeshIndex } from './mesh-index.js';
import { endpointChoice } from './route/endpoints.js';

const WINDOW = 16384;
const MIN_HIT_RATE = 0.3;
const BYPASS_WINDOWS = 16;

/**
 * Memoizes {@link evaluateFlow}: evaluation is a pure function of the flow's addresses, port,
 * protocol, HTTP request and chosen endpoint, so flows that agree on those share one evaluation (with
 * their own id). Recorded traffic repeats itself, so most flows of a capture are hits. Bounded: the
 * cache is emptied when it reaches `capacity` entries; when a window of lookups mostly misses (traffic
 * that never repeats) it steps aside for a while, so it never costs much more than it saves.
 */
export class EvaluationCache {
  private readonly entries = new Map<string, FlowEvaluation>();
  hits = 0;
  misses = 0;
  private windowHits = 0;
  private windowLookups = 0;
  private bypassWindows = 0;

  constructor(private readonly index: MeshIndex, private readonly capacity = 100_000) {}

  evaluate(flow: Flow): FlowEvaluation {
    if (++this.windowLookups === WINDOW) this.endWindow();
    if (this.bypassWindows > 0) return evaluateFlow(flow, this.index);
    const key = this.keyOf(flow);
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.windowHits++;
      return hit.result.id === flow.id ? hit : { result: { ...hit.result, id: flow.id }, decisions: hit.decisions, ...(hit.sourceNode !== undefined ? { sourceNode: hit.sourceNode } : {}) };
    }
    this.misses++;
    const evaluation = evaluateFlow(flow, this.index);
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, evaluation);
    return evaluation;
  }

  private endWindow(): void {
    if (this.bypassWindows > 0) this.bypassWindows--;
    else if (this.windowHits < WINDOW * MIN_HIT_RATE) {
      this.bypassWindows = BYPASS_WINDOWS;
      this.entries.clear();
    }
    this.windowHits = 0;
    this.windowLookups = 0;
  }

  /** Everything evaluation depends on; header order matters only for hit rate, never for correctness. */
  private keyOf(flow: Flow): string {
    const s = flow.source;
    const d = flow.destination;
    let key = `${s.workload ?? ''}|${s.ip ?? ''}|${d.service ?? ''}|${d.workload ?? ''}|${d.ip ?? ''}|${d.port}|${flow.protocol}|${flow.l7Unknown ?? ''}|${this.endpoint(flow)}`;
    const h = flow.http;
    if (flow.protocol === 'http' && h) {
      key += `|${h.method}|${h.path}|${h.host ?? ''}`;
      for (const name in h.headers) key += `|${name}=${h.headers[name]}`;
      // The JWT takes part in request authentication and requestPrincipals/claims rules.
      if (flow.jwt) key += `|jwt=${JSON.stringify(flow.jwt)}`;
    }
    return key;
  }

  private endpoint(flow: Flow): number {
    const d = flow.destination;
    const svc = d.service !== undefined ? this.index.serviceByKey.get(d.service) : d.ip !== undefined ? this.index.serviceByVip.get(d.ip) : undefined;
    return svc ? endpointChoice(svc, flow.id, this.index) : 0;
  }
}
