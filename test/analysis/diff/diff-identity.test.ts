import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffResults } from '../../../src/analysis/diff/diff-results.js';
import { findScenarioFiles, readScenario } from '../../../src/files/scenarios.js';
import { prepareMesh, simulate } from '../../../src/index.js';
import type { Cluster } from '../../../src/model/cluster.js';
import type { Flow } from '../../../src/model/flow.js';
import { clusterArbitrary, flowArbitrary } from '../../support/arbitraries.js';

const ROOT = resolve(__dirname, '../../..');
// Each configuration is resolved and indexed on its own, as `diff --before X --after X` does.
const results = (c: Cluster, flows: readonly Flow[]) => simulate(prepareMesh(c), flows).results;

describe('a configuration diffed with itself changes nothing', () => {
  it('for every bundled scenario and its traffic', async () => {
    const { files, roots } = await findScenarioFiles([resolve(ROOT, 'scenarios')]);
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const [i, file] of files.entries()) {
      const s = await readScenario(file, { root: roots[i] });
      expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const d = diffResults(results(s.cluster, s.flows), results(s.cluster, s.flows));
      expect({ file, changed: d.counts.changed, added: d.counts.added, removed: d.counts.removed }).toEqual({ file, changed: 0, added: 0, removed: 0 });
      expect(d.counts.unchanged).toBe(s.flows.length);
    }
  });

  it('for generated clusters and flows', () => {
    fc.assert(fc.property(clusterArbitrary(), fc.array(flowArbitrary, { minLength: 1, maxLength: 10 }), (c, flows) => {
      const unique = flows.map((f, i) => ({ ...f, id: `${i}` }));
      expect(diffResults(results(c, unique), results(c, unique)).counts.changed).toBe(0);
    }), { numRuns: 100 });
  });
});
