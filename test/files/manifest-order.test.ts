import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifestFiles, readManifestInputs } from '../../src/files.js';

/**
 * The order manifests are applied in decides which definition of an object is left: kubectl takes its
 * -f arguments in the order given, and a directory's files in the order Go's filepath.Walk visits them
 * (kubernetes cli-runtime pkg/resource/visitor.go ExpandPathsToFileVisitors): each directory's entries
 * by name, a directory walked where its name sorts.
 */
describe('manifests are applied in the order kubectl applies them', () => {
  let dir = '';
  const ns = (v: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labels: { v: "${v}" } }\n`;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ambient-bench-order-'));
    await mkdir(join(dir, 'k8s'));
    await writeFile(join(dir, 'k8s', 'ns.yaml'), ns('inside'));
    await writeFile(join(dir, 'k8s-prod.yaml'), ns('sibling'));
    await writeFile(join(dir, 'b.yaml'), ns('b'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('walks a directory as filepath.Walk does: k8s/ns.yaml before k8s-prod.yaml, though "-" sorts before "/"', async () => {
    const read = await readManifestInputs([dir]);
    expect(read.inputs.map((i) => i.file.slice(dir.length + 1))).toEqual(['b.yaml', 'k8s/ns.yaml', 'k8s-prod.yaml']);
    const loaded = await loadManifestFiles([dir]);
    expect(loaded.cluster.namespaces.map((n) => n.meta.labels['v'])).toEqual(['sibling']);
  });

  it('takes -f arguments in the order given: the file named last wins, whatever its name', async () => {
    const loaded = await loadManifestFiles([join(dir, 'k8s-prod.yaml'), join(dir, 'b.yaml')]);
    expect(loaded.cluster.namespaces.map((n) => n.meta.labels['v'])).toEqual(['b']);
    expect(loaded.diagnostics.find((d) => d.code === 'duplicate-object')?.message).toContain(`later definition (${join(dir, 'b.yaml')}:1) is used`);
  });
});
