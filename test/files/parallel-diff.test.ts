import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../src/files.js';
import { readAfterConfiguration, type AfterSpec } from '../../src/files/after-configuration.js';
import { DiffSide, DiffSideFailure } from '../../src/files/parallel-diff.js';
import { generateFlows } from '../../src/generate/generate-flows.js';
import { DiffRun, prepareMesh } from '../../src/index.js';
import { flowEntry } from '../../bench/support/flows-file.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';

const dir = mkdtempSync(join(tmpdir(), 'parallel-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLUSTER = 'scenarios/demo/cluster';
const WHAT_IFS = ['mesh-goes-strict', 'waypoint-breaks-l4-policy', 'namespace-joins-ambient'];

/** Generated flows over the demo cluster, as a JSONL flows file (with one line the reader drops). */
async function flowsFile(count: number, seed: number): Promise<string> {
  const before = await loadManifestFiles([CLUSTER]);
  const flows = generateFlows(prepareMesh(before.cluster), { count, seed });
  const file = join(dir, `flows-${seed}.jsonl`);
  const lines = flows.map((f) => JSON.stringify(flowEntry(f)));
  lines.splice(7, 0, '{"id": "broken", "source": 3}');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('diff on two threads: the side after the change decided in a worker (src/files/parallel-diff.ts)', () => {
  it.each(WHAT_IFS)('equals the one-thread DiffRun, change for change, with the what-if steps of %s', async (name) => {
    const file = await flowsFile(600, WHAT_IFS.indexOf(name) + 1);
    const spec: AfterSpec = { kind: 'what-if', paths: [CLUSTER], whatIf: `scenarios/${name}/scenario.yaml`, istiodEnv: {} };
    const side = new DiffSide(spec, file);
    try {
      const before = await loadManifestFiles([CLUSTER]);
      const beforeIndex = prepareMesh(before.cluster);
      const report = await side.configured();
      const twoThreads: Diagnostic[] = [];
      const diff = await side.diff(beforeIndex, file, twoThreads);

      const after = await readAfterConfiguration(spec, before.cluster);
      const afterIndex = prepareMesh(after.cluster);
      const run = new DiffRun(beforeIndex, afterIndex);
      const oneThread: Diagnostic[] = [];
      const { readFlowsInput } = await import('../../src/files/flows-input.js');
      for await (const batch of readFlowsInput({ file }, oneThread, { entries: 0, dropped: 0, flows: 0 })) for (const f of batch) run.add(f);
      const expected = run.finish();

      expect(diff).toEqual(expected);
      expect(diff.counts.changed + diff.counts.unchanged).toBe(600);
      expect(twoThreads).toEqual(oneThread);
      expect(twoThreads.map((d) => d.line)).toEqual([8]);
      expect(report.notes).toEqual(after.notes);
      expect(report.configDiagnostics).toEqual(after.diagnostics);
      expect(report.meshDiagnostics).toEqual(afterIndex.mesh.diagnostics);
    } finally {
      await side.close();
    }
  });

  it('finds changes in the generated traffic (the comparison above is not vacuous)', async () => {
    const file = await flowsFile(600, 1);
    const side = new DiffSide({ kind: 'what-if', paths: [CLUSTER], whatIf: 'scenarios/mesh-goes-strict/scenario.yaml', istiodEnv: {} }, file);
    try {
      const before = prepareMesh((await loadManifestFiles([CLUSTER])).cluster);
      await side.configured();
      const diff = await side.diff(before, file, []);
      expect(diff.counts.changed).toBeGreaterThan(0);
      expect(diff.changed.every((c) => c.before.id === c.id && c.after.id === c.id)).toBe(true);
    } finally {
      await side.close();
    }
  });

  it('rejects with DiffSideFailure when the worker stops before it is done, so the caller can diff on one thread', async () => {
    const file = await flowsFile(50, 9);
    const side = new DiffSide({ kind: 'manifests', paths: [CLUSTER], istiodEnv: {} }, file);
    const before = prepareMesh((await loadManifestFiles([CLUSTER])).cluster);
    await side.configured();
    await side.close();
    await expect(side.diff(before, file, [])).rejects.toBeInstanceOf(DiffSideFailure);
  });
});
