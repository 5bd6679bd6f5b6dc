import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffResults } from '../../src/analysis/diff/diff-results.js';
import { clusterWithPolicies, smallClusterFlow } from '../../src/generate/index.js';
import { DiffRun, diffRuns, prepareMesh, simulate } from '../../src/index.js';

describe('diffRuns() joins two runs on their decisions and explains only what changed', () => {
  it('equals diffResults over the two full reports, for generated pairs of configurations', () => {
    let changes = 0;
    fc.assert(fc.property(clusterWithPolicies(), clusterWithPolicies(), fc.array(smallClusterFlow, { minLength: 1, maxLength: 40 }), (b, a, raw) => {
      const flows = raw.map((f, i) => ({ ...f, id: `${f.id}#${i}`, time: (i * 7) % 5 }));
      const before = prepareMesh(b);
      const after = prepareMesh(a);
      const expected = diffResults(simulate(before, flows).results, simulate(after, flows).results);
      const actual = diffRuns(before, after, flows);
      changes += actual.changed.length;
      expect(actual).toEqual(expected);
    }), { numRuns: 200 });
    // The property is only worth something if configurations really differ.
    expect(changes).toBeGreaterThan(100);
  });

  it('gives the same diff fed one flow at a time in read order (DiffRun, as diff streams a flows file)', () => {
    fc.assert(fc.property(clusterWithPolicies(), clusterWithPolicies(), fc.array(smallClusterFlow, { minLength: 1, maxLength: 40 }), (b, a, raw) => {
      const flows = raw.map((f, i) => ({ ...f, id: `${f.id}#${i}`, time: (i * 7) % 5 }));
      const before = prepareMesh(b);
      const after = prepareMesh(a);
      const run = new DiffRun(before, after);
      for (const f of flows) run.add(f);
      expect(run.finish()).toEqual(diffRuns(before, after, flows));
    }), { numRuns: 200 });
  });
});
