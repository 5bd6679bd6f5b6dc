import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifestInputs } from '../../src/files.js';
import { ROOT } from '../cli/run-cli.js';

const NAMESPACES = join(ROOT, 'scenarios/demo/cluster/10-namespaces.yaml');

describe('special files under -f (issue: a FIFO named x.yaml hung the loader; a link to /dev/zero read 625 MB)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ambient-bench-special-'));
    await mkdir(join(dir, 'cluster'));
    await copyFile(NAMESPACES, join(dir, 'cluster', 'namespaces.yaml'));
    execFileSync('mkfifo', [join(dir, 'cluster', 'x.yaml')]);
    await symlink('/dev/zero', join(dir, 'cluster', 'zero.yaml'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a directory is read for its regular files; a pipe and a link to a device are skipped with a warning each', async () => {
    const read = await readManifestInputs([join(dir, 'cluster')]);
    expect(read.inputs.map((i) => i.file)).toEqual([join(dir, 'cluster', 'namespaces.yaml')]);
    expect(read.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'not-a-regular-file', file: join(dir, 'cluster', 'x.yaml') }),
      expect.objectContaining({ severity: 'warning', code: 'not-a-regular-file', file: join(dir, 'cluster', 'zero.yaml') }),
    ]);
  });

  it('a pipe named with -f itself is read, as kubectl reads -f <(...)', async () => {
    const fifo = join(dir, 'named.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.end('apiVersion: v1\nkind: Namespace\nmetadata: { name: from-a-pipe }\n');
    const read = await readManifestInputs([fifo]);
    expect(read.diagnostics).toEqual([]);
    expect(read.inputs).toEqual([{ file: fifo, text: expect.stringContaining('name: from-a-pipe') }]);
  });
});
