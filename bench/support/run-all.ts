/**
 * `npm run bench`: every benchmark in turn (engine, e2e, diff, ingest, validate), each as its own npm
 * script so it runs as it does alone; one that fails does not stop the rest. Exits 1 if any failed.
 */
import { spawnSync } from 'node:child_process';
import { ROOT, build } from './bench-env.js';

const BENCHMARKS = ['engine', 'e2e', 'diff', 'ingest', 'validate'] as const;

let built = false;
try {
  build();
  built = true;
} catch (e) {
  console.log(`${e instanceof Error ? e.message : String(e)}; e2e and diff will report it`);
}
const failed: string[] = [];
for (const name of BENCHMARKS) {
  console.log(`\n== bench:${name}`);
  const env = built ? { ...process.env, BENCH_SKIP_BUILD: '1' } : process.env;
  const run = spawnSync('npm', ['run', '--silent', `bench:${name}`], { cwd: ROOT, stdio: 'inherit', env });
  if (run.status !== 0) failed.push(`bench:${name} (${run.signal ?? `exit ${run.status}`})`);
}
console.log(failed.length === 0 ? '\nevery benchmark ran' : `\nfailed: ${failed.join(', ')}`);
process.exitCode = failed.length === 0 ? 0 : 1;
