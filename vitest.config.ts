import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    // The CLI, built once for the whole run (CLI tests spawn it: test/cli/run-cli.ts).
    globalSetup: ['test/support/build-cli.ts'],
  },
});
