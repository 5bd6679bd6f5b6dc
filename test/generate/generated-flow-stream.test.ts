import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../src/files.js';
import { forEachGeneratedFlow, generateFlows } from '../../src/generate/generate-flows.js';
import { prepareMesh } from '../../src/index.js';
import type { Flow } from '../../src/model/flow.js';

/** forEachGeneratedFlow draws flows one by one (what `simulate --generate` streams); they must be generateFlows' own. */
describe('forEachGeneratedFlow() hands out the flows generateFlows returns, in order, one at a time', () => {
  it('for any seed and count over the demo cluster, with and without undeclared ports, awaiting the consumer', async () => {
    const index = prepareMesh((await loadManifestFiles(['scenarios/demo/cluster'])).cluster);
    await fc.assert(fc.asyncProperty(fc.integer(), fc.integer({ min: 0, max: 400 }), fc.boolean(), async (seed, count, undeclaredPorts) => {
      const options = { seed, count, undeclaredPorts };
      const drawn: Flow[] = [];
      await forEachGeneratedFlow(index, options, (f) => {
        drawn.push(f);
        return drawn.length % 50 === 0 ? Promise.resolve() : undefined;
      });
      expect(drawn).toEqual(generateFlows(index, options));
    }), { numRuns: 25 });
  });

  it('passes an error of the consumer on to the caller', async () => {
    const index = prepareMesh((await loadManifestFiles(['scenarios/demo/cluster'])).cluster);
    await expect(forEachGeneratedFlow(index, { seed: 1, count: 10 }, () => { throw new Error('consumer failed'); })).rejects.toThrow('consumer failed');
  });
});
