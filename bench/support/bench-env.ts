/** What the end-to-end benchmarks share: sizes from the environment, the build, a work folder, and how figures print. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildOutcome } from './run-child.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** A comma-separated list of positive integers from the environment (`BENCH_FLOWS=20000,100000`), or the default. */
export function sizesFrom(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const sizes = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`${name} takes positive integers separated by commas, got "${raw}"`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** A positive number of seconds from the environment, or the default. */
export function secondsFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} takes a positive number of seconds, got "${raw}"`);
  return n;
}

/** `npm run build`, so the benchmark measures the CLI users run; BENCH_SKIP_BUILD=1 skips it. */
export function build(): void {
  if (process.env['BENCH_SKIP_BUILD'] === '1') return;
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    throw new Error('npm run build failed (its errors are above); the benchmark measures the built CLI, dist/cli/main.js');
  }
}

/** The largest flow count, from BENCH_FLOWS (one number, as bench:engine reads it), default 1,000,000. */
export function largestFlows(): number {
  const [n] = sizesFrom('BENCH_FLOWS', [1_000_000]).slice(-1);
  return n as number;
}

/** Runs a benchmark's main function; an error it throws is reported as a failed run, not a stack trace. */
export async function runBenchmark(main: () => Promise<number>): Promise<void> {
  try {
    const failures = await main();
    if (failures > 0) console.log(`${failures} check${failures === 1 ? '' : 's'} failed`);
    process.exitCode = failures > 0 ? 1 : 0;
  } catch (e) {
    console.log(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

/** A fresh folder under the system's temporary directory (BENCH_DIR overrides) for the generated inputs, removed at exit unless BENCH_KEEP=1. */
export function workDir(prefix: string): string {
  const dir = mkdtempSync(join(process.env['BENCH_DIR'] ?? tmpdir(), `ambient-bench-${prefix}-`));
  if (process.env['BENCH_KEEP'] !== '1') process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const count = (n: number): string => Math.round(n).toLocaleString('en');
export const mb = (bytes: number | undefined): string => (bytes === undefined ? '?' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
export const secs = (s: number): string => `${s.toFixed(2)} s`;
export const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(1)}×` : '-');

/**
 * One measured child as a row: wall time, flows per wall second, CPU seconds, peak RSS, and the ratio
 * of its wall time (and CPU time) to the floor's. CPU time says how much of the wall time was the
 * machine being busy with something else.
 */
export function runRow(what: string, flows: number, run: ChildOutcome, floor?: ChildOutcome): string {
  const cpu = run.cpuSeconds !== undefined ? `cpu ${secs(run.cpuSeconds).padStart(8)}` : 'cpu        ?';
  const done = run.ok ? `${secs(run.seconds).padStart(9)}  ${count(flows / run.seconds).padStart(10)} flows/s` : `${'failed'.padStart(9)}  ${''.padStart(18)}`;
  const cpuRatio = floor?.cpuSeconds !== undefined && run.cpuSeconds !== undefined ? ` (cpu ${ratio(run.cpuSeconds, floor.cpuSeconds)})` : '';
  const vs = floor?.ok && run.ok ? `  ${ratio(run.seconds, floor.seconds)} the floor${cpuRatio}` : '';
  return `  ${what.padEnd(9)} ${done}  ${cpu}  peak RSS ${mb(run.peakRss).padStart(7)}${vs}`;
}
