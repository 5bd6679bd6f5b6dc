import type { Flow } from '../model/flow.js';
import { evaluateFlow, type FlowEvaluation } from './evaluate-flow.js';
import type { MeshIndex } from './mesh-index.js';
import { resolveDestination, resolverFor, resolveSource } from './route/endpoints.js';

/** The HTTP request, for flows a waypoint decides; header order matters only for hit rate, never for correctness. */
function l7Key(flow: Flow): string {
  const h = flow.protocol === 'http' ? flow.http : undefined;
  if (!h) return '|-';
  let key = `|${h.method}|${h.path}|${h.host ?? ''}`;
  for (const name in h.headers) key += `|${name}=${h.headers[name]}`;
  // The JWT takes part in request authentication and requestPrincipals/claims rules.
  if (flow.jwt) key += `|jwt=${JSON.stringify(flow.jwt)}`;
  return key;
}

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

  constructor(private readonly index: MeshIndex, private readonly capacity = 4_096) {}

  evaluate(flow: Flow): FlowEvaluation {
    if (++this.windowLookups === WINDOW) this.endWindow();
    if (this.bypassWindows > 0) return evaluateFlow(flow, this.index);
    const l4 = this.l4Key(flow);
    const hit = this.entries.get(l4) ?? this.entries.get(l4 + l7Key(flow));
    if (hit) {
      this.hits++;
      this.windowHits++;
      return hit.result.id === flow.id ? hit : { result: { ...hit.result, id: flow.id }, decisions: hit.decisions, ...(hit.sourceNode !== undefined ? { sourceNode: hit.sourceNode } : {}) };
    }
    this.misses++;
    const evaluation = evaluateFlow(flow, this.index);
    if (this.entries.size >= this.capacity) this.entries.clear();
    // Without a waypoint or sidecar on the path, nothing looks at HTTP: ztunnel is L4 only, so the
    // evaluation holds for every request between the same endpoints.
    const l7 = evaluation.decisions.some((d) => d.checkpoint.component !== 'destination-ztunnel');
    this.entries.set(l7 ? l4 + l7Key(flow) : l4, evaluation);
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

  /** What evaluation depends on below HTTP: addresses, port, protocol and the chosen endpoint. */
  private l4Key(flow: Flow): string {
    const s = flow.source;
    const d = flow.destination;
    return `${s.workload ?? ''}|${s.ip ?? ''}|${d.service ?? ''}|${d.workload ?? ''}|${d.ip ?? ''}|${d.port}|${flow.protocol}|${flow.l7Unknown ?? ''}|${this.endpoint(flow)}`;
  }

  /**
   * The pod a Service flow reaches: which endpoints serve it depends on its port, protocol and on who
   * resolves the address (service-delivery.ts), so it is resolved as the evaluation resolves it.
   */
  private endpoint(flow: Flow): string {
    const d = flow.destination;
    if (d.service === undefined && (d.ip === undefined || !this.index.serviceByVip.has(d.ip))) return '';
    const dst = resolveDestination(flow, this.index, resolverFor(resolveSource(flow.source, this.index)));
    return dst.kind === 'service' ? dst.endpoint?.uid ?? '' : dst.kind === 'workload' ? dst.workload.uid : '';
  }
}
