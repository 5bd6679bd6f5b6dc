/**
 * End-to-end benchmark: the benchmark cluster (10,000 pods, 1,000 Services, 2,000 policies) written as
 * the manifest file the CLI reads, and generated flows as a JSONL flows file; then, each in its own
 * process, the I/O floor (read, parse and write every line) and `simulate --flows <file> -o jsonl`,
 * both into the same sink, at a fifth of BENCH_FLOWS and at BENCH_FLOWS (default 200,000 and 1,000,000),
 * `simulate` with one job and with two (`--jobs 2`, checked to write the same bytes). Prints time,
 * flows/s, peak RSS, the ratio to the floor and the marginal rate between the sizes.
 *
 * Environment: BENCH_FLOWS (the largest size), BENCH_E2E_FLOWS (the sizes, comma-separated, instead),
 * BENCH_CHILD_TIMEOUT (seconds per child, default 300), BENCH_MANIFESTS_FORMAT (json, the default, or
 * yaml), BENCH_SKIP_BUILD=1, BENCH_DIR (where inputs are written), BENCH_KEEP=1 (keep them).
 */
import { spawnSync } from 'node:child_process';
import { openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SIZE, syntheticCluster, syntheticFlows } from './synthetic-cluster.js';
import { CLI, build, count, largestFlows, mb, runBenchmark, runRow, secondsFrom, secs, sizesFrom, workDir } from './support/bench-env.js';
import { clusterManifests, countByKind, writeManifests } from './support/cluster-manifests.js';
import { writeFlowsFile } from './support/flows-file.js';
import { ioFloorArgs } from './support/io-floor.js';
import { compareResults, sampleFlows } from './support/mesh-agreement.js';
import { describeFailure, runChild, type ChildOutcome } from './support/run-child.js';
import type { Cluster } from '../src/model/cluster.js';
import type { Flow } from '../src/model/flow.js';

const SIZES = sizesFrom('BENCH_E2E_FLOWS', [largestFlows() / 5, largestFlows()].map(Math.round));
const TIMEOUT = secondsFrom('BENCH_CHILD_TIMEOUT', 300);
const FORMAT = process.env['BENCH_MANIFESTS_FORMAT'] === 'yaml' ? 'yaml' : 'json';
const SAMPLE = 2000;

let failures = 0;
const fail = (message: string): void => {
  failures++;
  console.log(`FAILED: ${message}`);
};

/** `validate -o json` must load as many objects of each kind as were written. */
async function checkValidate(clusterFile: string, written: Record<string, number>): Promise<void> {
  const run = await runChild({ label: 'validate', args: [CLI, 'validate', '-f', clusterFile, '-o', 'json'], timeoutSeconds: TIMEOUT, keepBytes: 64 << 20 });
  if (run.exitCode !== 0 && run.exitCode !== 1) return fail(describeFailure(run, TIMEOUT));
  const objects = (JSON.parse(run.head) as { summary: { objects: Record<string, number>; errors: number } }).summary.objects;
  const kinds = [...new Set([...Object.keys(written), ...Object.keys(objects)])];
  const differing = kinds.filter((k) => (written[k] ?? 0) !== (objects[k] ?? 0));
  const total = Object.values(objects).reduce((a, b) => a + b, 0);
  if (differing.length > 0) return fail(`validate loaded ${differing.map((k) => `${objects[k] ?? 0} ${k} (written ${written[k] ?? 0})`).join(', ')}`);
  console.log(`validate: loaded the ${count(total)} objects written, kind by kind, in ${secs(run.seconds)} (peak RSS ${mb(run.peakRss)})`);
}

/** The CLI, reading the manifest file, decides a sample of flows as the library does in memory. */
async function checkAgreement(cluster: Cluster, clusterFile: string, flows: readonly Flow[], dir: string): Promise<void> {
  const file = join(dir, 'sample.jsonl');
  writeFlowsFile(file, flows);
  const run = await runChild({ label: `simulate (${flows.length} sampled flows)`, args: [CLI, 'simulate', '-f', clusterFile, '--flows', file, '-o', 'jsonl'], timeoutSeconds: TIMEOUT, keepBytes: 512 << 20 });
  if (!run.ok) return fail(describeFailure(run, TIMEOUT));
  const lines = run.head.split('\n').filter((l) => l !== '');
  const agreement = compareResults(cluster, flows, lines.slice(0, -1));
  if (agreement.agreed !== agreement.compared) return fail(`the CLI and the in-memory mesh disagree on ${agreement.compared - agreement.agreed} of ${agreement.compared} sampled flows; ${agreement.firstDifference}`);
  console.log(`mesh: the CLI's mesh from ${clusterFile.split('/').pop()} decides ${agreement.compared} of ${agreement.compared} sampled flows exactly as the in-memory one (every field; objects in the loader's order)`);
}

/** A line of output as JSON, or undefined when it is not JSON. */
function parseLine<T>(line: string): T | undefined {
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}

interface Measured {
  readonly flows: number;
  readonly floor: ChildOutcome;
  readonly simulate: ChildOutcome;
}

/** The floor wrote every line and its own count; simulate wrote one result per flow and a summary that counts them. */
function checkOutputs(m: Measured): boolean {
  const n = m.flows;
  let ok = true;
  if (!m.floor.ok) ok = (fail(describeFailure(m.floor, TIMEOUT)), false);
  else if (m.floor.stdoutLines !== n + 1 || parseLine<{ lines: number }>(m.floor.lastLine)?.lines !== n) ok = (fail(`the floor wrote ${m.floor.stdoutLines} lines for ${n} flows`), false);
  if (!m.simulate.ok) return (fail(describeFailure(m.simulate, TIMEOUT)), false);
  const summary = parseLine<{ summary?: { flows: number; allowed: number; denied: number } }>(m.simulate.lastLine)?.summary;
  if (m.simulate.stdoutLines !== n + 1) return (fail(`simulate wrote ${count(m.simulate.stdoutLines)} lines for ${count(n)} flows (expected ${count(n + 1)})`), false);
  if (!summary || summary.flows !== n || summary.allowed + summary.denied !== n) return (fail(`simulate's last line is not a summary of ${count(n)} flows: ${(summary ? JSON.stringify(summary) : m.simulate.lastLine).slice(0, 300)}`), false);
  console.log(`  output checked: ${count(n)} result lines and a summary of ${count(summary.flows)} flows (${count(summary.allowed)} allowed, ${count(summary.denied)} denied)`);
  return ok;
}

/** `--jobs 2` against `--jobs 1`: its speed-up, and whether it wrote the same bytes. */
function compareJobs(one: ChildOutcome, two: ChildOutcome): void {
  if (!one.ok || !two.ok) return fail(describeFailure(two.ok ? one : two, TIMEOUT));
  if (one.stdoutDigest !== two.stdoutDigest) return fail(`--jobs 2 wrote other output than --jobs 1 (${count(two.stdoutBytes)} bytes, ${count(one.stdoutBytes)} with one job)`);
  console.log(`  --jobs 2: ${(one.seconds / two.seconds).toFixed(2)}× the speed of --jobs 1, the same ${count(two.stdoutBytes)} bytes of output`);
}

/**
 * `merge` of 10 shard reports of the smaller flows file: the shards are written first (each reads the
 * whole file and decides its tenth), then the merge is timed, and its output compared with the
 * unsharded report's bytes.
 */
async function mergeShards(clusterFile: string, flowsFile: string, flows: number, dir: string): Promise<void> {
  const SHARDS = 10;
  const reports: string[] = [];
  for (let k = 1; k <= SHARDS; k++) {
    const report = join(dir, `shard-${k}.jsonl`);
    const r = spawnSync(process.execPath, [CLI, 'simulate', '-f', clusterFile, '--flows', flowsFile, '-o', 'jsonl', '--shard', `${k}/${SHARDS}`], { stdio: ['ignore', openSync(report, 'w'), 'ignore'] });
    if (r.status !== 0) return fail(`simulate --shard ${k}/${SHARDS} exited with ${r.status}`);
    reports.push(report);
  }
  const merged = await runChild({ label: `merge of ${SHARDS} shards`, args: [CLI, 'merge', ...reports], timeoutSeconds: TIMEOUT, digest: true });
  const whole = await runChild({ label: 'simulate (unsharded)', args: [CLI, 'simulate', '-f', clusterFile, '--flows', flowsFile, '-o', 'jsonl', '--jobs', '1'], timeoutSeconds: TIMEOUT, digest: true });
  if (!merged.ok) return fail(describeFailure(merged, TIMEOUT));
  if (merged.stdoutDigest !== whole.stdoutDigest) return fail(`the merge of ${SHARDS} shards differs from the unsharded report`);
  console.log(`merge of ${SHARDS} shard reports of ${count(flows)} flows: ${secs(merged.seconds)} (peak RSS ${mb(merged.peakRss)}), ${count(flows / merged.seconds)} results/s; the same ${count(merged.stdoutBytes)} bytes as the unsharded report`);
}

function marginal(rows: readonly Measured[]): void {
  const ok = rows.filter((r) => r.floor.ok && r.simulate.ok);
  const [a, b] = [ok[0], ok[ok.length - 1]];
  if (!a || !b || a === b) return console.log('marginal: needs two sizes that both ran');
  const rate = (x: ChildOutcome, y: ChildOutcome): string => {
    const wall = `${count((b.flows - a.flows) / (y.seconds - x.seconds))} flows/s`;
    return x.cpuSeconds !== undefined && y.cpuSeconds !== undefined ? `${wall} (${count((b.flows - a.flows) / (y.cpuSeconds - x.cpuSeconds))} per cpu second)` : wall;
  };
  console.log(`marginal ${count(a.flows)} -> ${count(b.flows)} flows: floor ${rate(a.floor, b.floor)}, simulate ${rate(a.simulate, b.simulate)}`);
}

/** Where the largest run stands against the issue's targets. */
function targets(rows: readonly Measured[]): void {
  const last = rows[rows.length - 1];
  if (!last?.simulate.ok || !last.floor.ok) return;
  const within = last.simulate.seconds / last.floor.seconds;
  const first = rows.find((r) => r.simulate.ok && r !== last);
  const marginalRate = first ? (last.flows - first.flows) / (last.simulate.seconds - first.simulate.seconds) : undefined;
  const marginalTarget = marginalRate === undefined ? 'needs two sizes' : marginalRate >= 200_000 ? 'met' : `not met (${count(marginalRate)} flows/s)`;
  console.log(`targets at ${count(last.flows)} flows: within 2× of the floor: ${within <= 2 ? 'met' : `not met (${within.toFixed(1)}×)`}; peak RSS under 300 MB: ${(last.simulate.peakRss ?? Infinity) < 300 * 1024 * 1024 ? 'met' : `not met (${mb(last.simulate.peakRss)})`}; marginal at least 200,000 flows/s: ${marginalTarget}`);
}

async function main(): Promise<number> {
  build();
  const dir = workDir('e2e');
  const cluster = syntheticCluster(BENCH_SIZE);
  const objects = clusterManifests(cluster);
  const clusterFile = join(dir, `cluster.${FORMAT}`);
  writeManifests(clusterFile, objects);
  console.log(`cluster: ${count(cluster.pods.length)} pods, ${count(cluster.services.length)} services, ${count(cluster.authorizationPolicies.length)} policies as ${clusterFile} (${mb(statSync(clusterFile).size)})`);
  await checkValidate(clusterFile, countByKind(objects));
  let flows: Flow[] | undefined = syntheticFlows(Math.max(...SIZES));
  await checkAgreement(cluster, clusterFile, sampleFlows(flows, SAMPLE), dir);
  const files = SIZES.map((n) => {
    const file = join(dir, `flows-${n}.jsonl`);
    const bytes = writeFlowsFile(file, flows as Flow[], n);
    console.log(`flows: ${count(n)} as ${file} (${mb(bytes)})`);
    return file;
  });
  flows = undefined;
  const rows: Measured[] = [];
  for (const [i, n] of SIZES.entries()) {
    const file = files[i] as string;
    console.log(`${count(n)} flows (time limit ${TIMEOUT} s per child):`);
    const floor = await runChild({ label: `I/O floor (${count(n)} flows)`, args: ioFloorArgs(file, 'write'), timeoutSeconds: TIMEOUT });
    console.log(runRow('floor', n, floor));
    const simulate = await runChild({ label: `simulate (${count(n)} flows)`, args: [CLI, 'simulate', '-f', clusterFile, '--flows', file, '-o', 'jsonl', '--jobs', '1'], timeoutSeconds: TIMEOUT, digest: true });
    console.log(runRow('simulate', n, simulate, floor));
    const m = { flows: n, floor, simulate };
    checkOutputs(m);
    rows.push(m);
    const jobs = await runChild({ label: `simulate --jobs 2 (${count(n)} flows)`, args: [CLI, 'simulate', '-f', clusterFile, '--flows', file, '-o', 'jsonl', '--jobs', '2'], timeoutSeconds: TIMEOUT, digest: true });
    console.log(runRow('--jobs 2', n, jobs, floor));
    compareJobs(simulate, jobs);
  }
  marginal(rows);
  targets(rows);
  await mergeShards(clusterFile, files[0] as string, SIZES[0] as number, dir);
  return failures;
}

await runBenchmark(main);
