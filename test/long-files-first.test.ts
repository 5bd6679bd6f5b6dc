import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { LONG_FILES, LongFilesFirst } from './support/long-files-first.js';

const ROOT = resolve(__dirname, '..');

/** A file as the sequencer sees it: one project, isolated, and the test size or duration the cache knows. */
function spec(path: string): TestSpecification {
  return { moduleId: join(ROOT, path), project: { name: '', config: { isolate: true, sequence: { groupOrder: 0 } } } } as unknown as TestSpecification;
}

/** A sequencer over a result cache that knows `durations` (ms) by path, or only file sizes when there is none (a fresh clone). */
function sequencer(known: { durations?: Record<string, number>; sizes: Record<string, number> }): LongFilesFirst {
  const key = (k: string) => k.replace(/^:/, '');
  const cache = {
    getFileTestResults: (k: string) => (known.durations?.[key(k)] === undefined ? undefined : { failed: false, duration: known.durations[key(k)] }),
    getFileStats: (k: string) => (known.sizes[key(k)] === undefined ? undefined : { size: known.sizes[key(k)] }),
  };
  return new LongFilesFirst({ config: { root: ROOT }, cache } as unknown as Vitest);
}

const order = async (s: LongFilesFirst, paths: string[]) => (await s.sort(paths.map(spec))).map((f) => f.moduleId.slice(ROOT.length + 1));

describe('the test sequencer', () => {
  it('names only test files that exist', () => {
    expect(LONG_FILES.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
  });

  it('starts the known long files first, in their listed order, and the rest largest first when there is no result cache', async () => {
    const sizes = { 'test/a.test.ts': 10, 'test/b.test.ts': 900, [LONG_FILES[0]!]: 5, [LONG_FILES[1]!]: 7 };
    expect(await order(sequencer({ sizes }), ['test/a.test.ts', LONG_FILES[1]!, 'test/b.test.ts', LONG_FILES[0]!]))
      .toEqual([LONG_FILES[0], LONG_FILES[1], 'test/b.test.ts', 'test/a.test.ts']);
  });

  it('keeps vitest order (longest first by the result cache) for the files it does not know', async () => {
    const durations = { 'test/a.test.ts': 5_000, 'test/b.test.ts': 10, 'test/c.test.ts': 700 };
    expect(await order(sequencer({ durations, sizes: {} }), ['test/b.test.ts', 'test/c.test.ts', 'test/a.test.ts']))
      .toEqual(['test/a.test.ts', 'test/c.test.ts', 'test/b.test.ts']);
  });
});
