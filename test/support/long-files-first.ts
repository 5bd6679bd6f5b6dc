import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files known to take far longer than the rest, longest first. Started last, one of them makes the
 * run its own length plus everything before it; started first, the other files fill the other workers
 * meanwhile. Without a result cache (a fresh clone, as in CI) vitest orders files by size alone, which
 * does not find these.
 */
export const LONG_FILES: readonly string[] = [
  'test/cli/large-inputs/simulate-generate.test.ts',
  'test/packed-package.test.ts',
  'test/cli/large-inputs/validate-diagnostics.test.ts',
  'test/cli/large-inputs/simulate-flows-file.test.ts',
  'test/cli/large-inputs/check-capture.test.ts',
];

/** Vitest's own order (failed first, then longest by the result cache, else largest file), with LONG_FILES moved to the front. */
export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const i = LONG_FILES.indexOf(relative(this.ctx.config.root, file.moduleId).split('\\').join('/'));
      return i === -1 ? LONG_FILES.length : i;
    };
    return sorted.map((file, at) => ({ file, at, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.at - b.at)
      .map((e) => e.file);
  }
}
