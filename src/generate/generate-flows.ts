import fc from 'fast-check';
import type { Flow } from '../model/flow.js';
import { flowsOver, type FlowsOverOptions } from './flows-over.js';
import type { MeshTarget } from './mesh-target.js';

export interface GenerateFlowsOptions extends FlowsOverOptions {
  readonly count: number;
  readonly seed: number;
}

/**
 * `count` flows over a cluster (`flowsOver`), the same for the same seed, with ids `generated-1`,
 * `generated-2`, ... (what `simulate --generate` and a scenario's `traffic.generate` replay).
 */
export function generateFlows(target: MeshTarget, options: GenerateFlowsOptions): Flow[] {
  if (options.count <= 0) return [];
  const flows = fc.sample(flowsOver(target, options), { numRuns: options.count, seed: options.seed });
  return flows.map((f, i) => ({ ...f, id: `generated-${i + 1}` }));
}

/**
 * The flows `generateFlows` returns, in the same order with the same ids, handed to `onFlow` as they
 * are drawn and never held: fast-check's `check` over an async property walks the values `sample`
 * returns for the same seed. What `onFlow` returns is awaited before the next flow is drawn, so a
 * consumer that waits keeps memory bounded whatever the count.
 */
export async function forEachGeneratedFlow(target: MeshTarget, options: GenerateFlowsOptions, onFlow: (flow: Flow) => Promise<void> | undefined): Promise<void> {
  if (options.count <= 0) return;
  let drawn = 0;
  const property = fc.asyncProperty(flowsOver(target, options), async (f) => {
    const waiting = onFlow({ ...f, id: `generated-${++drawn}` });
    if (waiting !== undefined) await waiting;
  });
  const details = await fc.check(property, { numRuns: options.count, seed: options.seed, endOnFailure: true });
  // onFlow threw: fast-check caught it as a failing run (endOnFailure: without shrinking); the caller gets the error.
  if (details.failed) throw details.errorInstance;
}
