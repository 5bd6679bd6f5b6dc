/**
 * Flows-file reading benchmark: generated flows written as a JSONL flows file (BENCH_FLOWS, default
 * 1,000,000), then, each in its own process, the floor (a plain Node loop that splits lines and
 * JSON.parses them, counting) and the built `readFlowsInput` reading the same file and counting its
 * flows. Each runs BENCH_RUNS times (default 3); the run with the least CPU time is printed, with the
 * highest peak RSS of the runs and its CPU time as a multiple of the floor's. Prints figures; checks
 * only that both counted every flow.
 *
 * Environment: BENCH_FLOWS, BENCH_RUNS, BENCH_SKIP_BUILD=1, BENCH_DIR, BENCH_KEEP=1, and
 * BENCH_FLOWS_FILE (an existing JSONL file of BENCH_FLOWS lines to read instead of writing one).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticFlows } from './synthetic-cluster.js';
import { ROOT, build, count, largestFlows, mb, ratio, runBenchmark, secs, workDir } from './support/bench-env.js';
import { writeFlowsFile } from './support/flows-file.js';
import { ioFloorArgs } from './support/io-floor.js';
import { describeFailure, runChild, type ChildOutcome } from './support/run-child.js';

const FLOWS = largestFlows();
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));
const TIMEOUT = 300;

/** A module run as `node --input-type=module -e`: reads the file through the built readFlowsInput and prints its counts. */
const READ_SCRIPT = String.raw`
const { readFlowsInput } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'files', 'flows-input.js')).href)});
const diagnostics = [];
const counts = { entries: 0, dropped: 0, flows: 0 };
let flows = 0;
for await (const batch of readFlowsInput({ file: process.argv[1] }, diagnostics, counts)) flows += batch.length;
process.stdout.write(JSON.stringify({ lines: counts.entries, parsed: flows, diagnostics: diagnostics.length }) + '\n');
`;

/** The least-CPU run of `runs` children, with the highest peak RSS among them. */
async function best(label: string, args: readonly string[]): Promise<ChildOutcome> {
  let fastest: ChildOutcome | undefined;
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    const run = await runChild({ label, args, timeoutSeconds: TIMEOUT });
    if (!run.ok) throw new Error(describeFailure(run, TIMEOUT));
    peak = Math.max(peak, run.peakRss ?? 0);
    if (!fastest || (run.cpuSeconds ?? run.seconds) < (fastest.cpuSeconds ?? fastest.seconds)) fastest = run;
  }
  return { ...(fastest as ChildOutcome), peakRss: peak };
}

function row(what: string, run: ChildOutcome, floor?: ChildOutcome): string {
  const cpu = run.cpuSeconds ?? run.seconds;
  const perFlow = `${((cpu / FLOWS) * 1e6).toFixed(2)} us/flow`;
  const vs = floor ? `  cpu ${ratio(cpu, floor.cpuSeconds ?? floor.seconds)} the floor` : '';
  return `  ${what.padEnd(6)} wall ${secs(run.seconds).padStart(8)}  cpu ${secs(cpu).padStart(8)}  ${perFlow}  peak RSS ${mb(run.peakRss).padStart(7)}${vs}`;
}

async function main(): Promise<number> {
  build();
  let file = process.env['BENCH_FLOWS_FILE'];
  if (!file) {
    file = join(workDir('flows-read'), `flows-${FLOWS}.jsonl`);
    const bytes = writeFlowsFile(file, syntheticFlows(FLOWS));
    console.log(`flows: ${count(FLOWS)} as ${file} (${mb(bytes)})`);
  }
  const floor = await best('floor', ioFloorArgs(file, 'count'));
  const read = await best('readFlowsInput', ['--input-type=module', '-e', READ_SCRIPT, file]);
  console.log(`${count(FLOWS)} flows, best CPU of ${RUNS} runs each:`);
  console.log(row('floor', floor));
  console.log(row('read', read, floor));
  let failures = 0;
  for (const run of [floor, read]) {
    const counted = JSON.parse(run.lastLine) as { lines: number; parsed: number };
    if (counted.lines !== FLOWS || counted.parsed !== FLOWS) {
      console.log(`FAILED: ${run.label} counted ${counted.lines} lines and ${counted.parsed} flows, expected ${FLOWS}`);
      failures++;
    }
  }
  return failures;
}

await runBenchmark(main);
