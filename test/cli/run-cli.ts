import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';

export const ROOT = resolve(__dirname, '../..');

/**
 * The command line that runs the CLI with `args`: the CLI built once for this test run (by
 * test/support/build-cli.ts, vitest's global setup), run by this Node the way a user's installed
 * `ambient-bench` runs dist/cli/main.js.
 */
export function cliCommand(args: readonly string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [join(inject('cliBuild'), 'dist/cli/main.js'), ...args] };
}

/** Runs the CLI the way a user runs `ambient-bench`, from ROOT and without colour; `input` is its standard input. */
export function runCli(args: readonly string[], input?: string): { code: number; stdout: string; stderr: string } {
  const cli = cliCommand(args);
  const r = spawnSync(cli.command, cli.args, {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
