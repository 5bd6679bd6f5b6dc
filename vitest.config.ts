import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LongFilesFirst } from './test/support/long-files-first.js';

/** The package's own entry points resolve to the sources here (users get dist/ through package.json "exports"). */
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^ambient-bench\/testing$/, replacement: src('testing/index.ts') },
      { find: /^ambient-bench\/files$/, replacement: src('files.ts') },
      { find: /^ambient-bench$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine.
    maxWorkers: availableParallelism(),
    // The CLI, built once for the whole run (CLI tests spawn it: test/cli/run-cli.ts).
    globalSetup: ['test/support/build-cli.ts'],
    sequence: { sequencer: LongFilesFirst },
  },
});
