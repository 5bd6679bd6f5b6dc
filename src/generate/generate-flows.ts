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
