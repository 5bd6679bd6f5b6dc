/**
 * The side after the change of a `diff` over a flows file, run in a worker thread beside the side
 * before: it reads the configuration after and the same flows file, decides every flow and sends each
 * flow's decision as a number (decisions are few and shared; each is sent whole the first time), then
 * explains the flows the side before found changed. Both sides read the same file in the same order,
 * so the n-th decision is the n-th flow's.
 */
import type { MessagePort } from 'node:worker_threads';
import { prepareMesh } from '../index.js';
import type { Decision } from '../model/decision.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import { Simulator } from '../sim/simulator.js';
import { readAfterConfiguration, type AfterSpec } from './after-configuration.js';
import { readFlowsInput } from './flows-input.js';

/** What the side before hands the worker. */
export interface DiffSideTask {
  readonly after: AfterSpec;
  readonly flowsFile: string;
}

/** Messages from the side after, in the order it sends them. */
export type DiffSideMessage =
  | { readonly type: 'configured'; readonly notes: readonly string[]; readonly configDiagnostics: readonly Diagnostic[]; readonly meshDiagnostics: readonly Diagnostic[] }
  /** The next flows' decisions by number; `fresh` gives the decisions numbered for the first time. */
  | { readonly type: 'decisions'; readonly ids: Int32Array; readonly fresh: readonly (readonly [number, Decision])[] }
  | { readonly type: 'decided'; readonly flows: number }
  | { readonly type: 'explained'; readonly results: readonly FlowResult[] }
  | { readonly type: 'failed'; readonly message: string };

/** From the side before once it has compared every flow: the flows that changed, to explain. */
export interface ExplainRequest {
  readonly type: 'explain';
  readonly flows: readonly Flow[];
}

const BATCH = 8192;

/** Numbers decisions: by object first (the verdict path shares them), else by their fields. */
class DecisionNumbers {
  private readonly byObject = new Map<Decision, number>();
  private readonly byFields = new Map<string, number>();
  fresh: [number, Decision][] = [];

  of(d: Decision): number {
    const known = this.byObject.get(d);
    if (known !== undefined) return known;
    const key = JSON.stringify([d.verdict, d.encrypted, d.decidedBy.component, d.decidedBy.name, d.policy, d.rule, d.reason]);
    let id = this.byFields.get(key);
    if (id === undefined) {
      this.byFields.set(key, (id = this.byFields.size));
      this.fresh.push([id, { verdict: d.verdict, encrypted: d.encrypted, decidedBy: { component: d.decidedBy.component, name: d.decidedBy.name }, policy: d.policy, rule: d.rule, reason: d.reason }]);
    }
    // Decisions the verdict path shares are remembered by object; others (from the evidence evaluator) are not kept.
    if (this.byObject.size < 65_536) this.byObject.set(d, id);
    return id;
  }
}

/** Runs the side after on `port`: configured, decisions in batches, decided; then answers one explain request. */
export async function runDiffSide(task: DiffSideTask, port: MessagePort): Promise<void> {
  const post = (m: DiffSideMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const after = await readAfterConfiguration(task.after);
  const index = prepareMesh(after.cluster);
  post({ type: 'configured', notes: after.notes, configDiagnostics: after.diagnostics, meshDiagnostics: index.mesh.diagnostics });
  const sim = new Simulator(index, { counters: false });
  const numbers = new DecisionNumbers();
  let ids = new Int32Array(BATCH);
  let filled = 0;
  let flows = 0;
  const flush = (): void => {
    const sent = filled === ids.length ? ids : ids.slice(0, filled);
    post({ type: 'decisions', ids: sent, fresh: numbers.fresh }, [sent.buffer as ArrayBuffer]);
    numbers.fresh = [];
    ids = new Int32Array(BATCH);
    filled = 0;
  };
  // The side before reports the file's problems; this side's copies are dropped.
  for await (const batch of readFlowsInput({ file: task.flowsFile }, [], { entries: 0, dropped: 0, flows: 0 })) {
    for (const flow of batch) {
      ids[filled++] = numbers.of(sim.decide(flow));
      if (filled === BATCH) flush();
    }
    flows += batch.length;
  }
  if (filled > 0) flush();
  post({ type: 'decided', flows });
  const request = await new Promise<ExplainRequest>((resolve) => port.once('message', resolve));
  const results = request.flows.map((flow) => {
    sim.decide(flow);
    return sim.resultOf(flow, sim.lastEvaluation);
  });
  post({ type: 'explained', results });
}
