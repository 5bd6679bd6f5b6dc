import { spawn } from 'node:child_process';
import { cliCommand, ROOT } from '../../cli/run-cli.js';

export interface CliRun {
  readonly args: readonly string[];
  /** Exit code, or null when the run was killed by the hang guard. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run killed after this long is a hang (a guard: runs take under a second). */
export const CLI_HANG_GUARD_MS = 30_000;

/** Runs the CLI as runCli does (the build of this test run), without blocking, so that a few runs share the cores. */
export function runCliAsync(args: readonly string[]): Promise<CliRun> {
  const cli = cliCommand(args);
  return new Promise((resolve) => {
    const child = spawn(cli.command, cli.args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_HANG_GUARD_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ args, code, stdout, stderr });
    });
  });
}

/** Runs every job, `parallel` at a time, and returns their results in order. */
export async function inPool<T, R>(jobs: readonly T[], parallel: number, run: (job: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await run(jobs[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return results;
}
