import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup: builds the CLI once per run, so CLI tests spawn `node <build>/dist/cli/main.js`
 * instead of paying tsx's transpiling at every spawn. The build lays out what an installed package
 * has beside `dist/` that the CLI reads at run time: package.json (src/cli/version.ts reads
 * `../../package.json` from dist/cli; its `"type": "module"` makes dist/ ES modules). It lives in the
 * repository's git-ignored tmp/, so the built code still resolves the repository's node_modules.
 * Type checking is not repeated here: `npm test` runs `tsc --noEmit` before vitest.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TMP = join(ROOT, 'tmp');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const PREFIX = 'cli-build-';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the built CLI: `<cliBuild>/dist/cli/main.js` is its entry. */
    cliBuild: string;
  }
}

export default function setup(project: TestProject): () => void {
  removeStaleBuilds();
  const build = join(TMP, `${PREFIX}${process.pid}`);
  rmSync(build, { recursive: true, force: true });
  mkdirSync(build, { recursive: true });
  const tsc = spawnSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(build, 'dist'), '--noCheck', '--declaration', 'false'], {
    cwd: ROOT, encoding: 'utf8',
  });
  if (tsc.status !== 0) {
    rmSync(build, { recursive: true, force: true });
    throw new Error(`building the CLI for the tests failed (tsc exit ${tsc.status ?? tsc.signal}):\n${tsc.stdout}${tsc.stderr}`);
  }
  copyFileSync(join(ROOT, 'package.json'), join(build, 'package.json'));
  project.provide('cliBuild', build);
  return () => rmSync(build, { recursive: true, force: true });
}

/** Builds left behind by runs that were killed before their teardown: their process is gone. */
function removeStaleBuilds(): void {
  let names: string[];
  try {
    names = readdirSync(TMP);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(PREFIX.length));
    if (name.startsWith(PREFIX) && Number.isInteger(pid) && pid > 0 && !isRunning(pid)) rmSync(join(TMP, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
