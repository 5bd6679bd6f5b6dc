/**
 * Diff benchmark: BENCH_FLOWS generated flows (default 1,000,000) through two configurations of the
 * benchmark cluster, "before" and "after" a realistic change (policies removed, a namespace made
 * STRICT, a waypoint added), with `diff --before <A> --after <B> --flows <F> -o json`, next to the I/O
 * floor that reads and parses the same flows, each in its own process. Prints time, flows/s, peak RSS
 * and the ratio to the floor.
 *
 * Environment: BENCH_FLOWS, BENCH_CHILD_TIMEOUT (seconds per child, default 300), BENCH_SKIP_BUILD=1,
 * BENCH_DIR (where inputs are written), BENCH_KEEP=1 (keep them).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SIZE, syntheticCluster, syntheticFlows } from './synthetic-cluster.js';
import { CLI, build, count, largestFlows, mb, runBenchmark, runRow, secondsFrom, secs, workDir } from './support/bench-env.js';
import { changeCluster } from './support/cluster-change.js';
import { clusterManifests, writeManifests } from './support/cluster-manifests.js';
import { writeFlowsFile } from './support/flows-file.js';
import { ioFloorArgs } from './support/io-floor.js';
import { inLoaderOrder, sampleFlows } from './support/mesh-agreement.js';
import { describeFailure, runChild } from './support/run-child.js';
import { diffRuns, prepareMesh } from '../src/index.js';
import type { Cluster } from '../src/model/cluster.js';
import type { Flow } from '../src/model/flow.js';

const FLOWS = largestFlows();
const TIMEOUT = secondsFrom('BENCH_CHILD_TIMEOUT', 300);
const HEAD = 1 << 16;
const SAMPLE = 2000;

interface DiffSummary {
  readonly changed: number;
  readonly unchanged: number;
  readonly added: number;
  readonly removed: number;
  readonly [kind: string]: number;
}

/** `diff -o json` prints its summary first; it is read from the start of the output. */
function summaryOf(head: string): DiffSummary | undefined {
  const match = /"summary":\s*(\{[^{}]*\})/.exec(head);
  try {
    return match?.[1] !== undefined ? (JSON.parse(match[1]) as DiffSummary) : undefined;
  } catch {
    return undefined;
  }
}

/** The CLI's diff of a sample of flows equals the library's `diffRuns` over the in-memory clusters: same counts, same changed flows and kinds. */
async function checkSample(clusters: { before: Cluster; after: Cluster }, files: { before: string; after: string }, flows: readonly Flow[], dir: string): Promise<string | undefined> {
  const file = join(dir, 'sample.jsonl');
  writeFlowsFile(file, flows);
  const run = await runChild({ label: `diff (${flows.length} sampled flows)`, args: [CLI, 'diff', '--before', files.before, '--after', files.after, '--flows', file, '-o', 'json'], timeoutSeconds: TIMEOUT, keepBytes: 256 << 20 });
  if (!run.ok) return describeFailure(run, TIMEOUT);
  const got = JSON.parse(run.head) as { summary: Record<string, number>; changed: { id: string; changes: string[] }[] };
  const want = diffRuns(prepareMesh(inLoaderOrder(clusters.before)), prepareMesh(inLoaderOrder(clusters.after)), flows);
  const wantChanged = want.changed.map((c) => `${c.id}:${c.kinds.join(',')}`).join(' ');
  const gotChanged = got.changed.map((c) => `${c.id}:${c.changes.join(',')}`).join(' ');
  if (JSON.stringify(got.summary) !== JSON.stringify(want.counts)) return `on ${flows.length} sampled flows the CLI's diff counts ${JSON.stringify(got.summary)}, the library's ${JSON.stringify(want.counts)}`;
  if (gotChanged !== wantChanged) return `on ${flows.length} sampled flows the CLI and the library change different flows`;
  console.log(`sample: the CLI's diff of ${flows.length} sampled flows equals the library's on the in-memory clusters (${want.counts.changed} changed, same flows and kinds)`);
  return undefined;
}

async function main(): Promise<number> {
  let failures = 0;
  const fail = (message: string): void => {
    failures++;
    console.log(`FAILED: ${message}`);
  };
  build();
  const dir = workDir('diff');
  const before = syntheticCluster(BENCH_SIZE);
  const change = changeCluster(before);
  const [beforeFile, afterFile, flowsFile] = [join(dir, 'before.json'), join(dir, 'after.json'), join(dir, `flows-${FLOWS}.jsonl`)];
  writeManifests(beforeFile, clusterManifests(before));
  writeManifests(afterFile, clusterManifests(change.cluster));
  console.log(`before: the benchmark cluster as ${beforeFile} (${mb(statSync(beforeFile).size)}); after: ${change.description}`);
  const flows = syntheticFlows(FLOWS);
  const disagreement = await checkSample({ before, after: change.cluster }, { before: beforeFile, after: afterFile }, sampleFlows(flows, SAMPLE), dir);
  if (disagreement !== undefined) fail(disagreement);
  const bytes = writeFlowsFile(flowsFile, flows);
  console.log(`flows: ${count(FLOWS)} as ${flowsFile} (${mb(bytes)}); time limit ${TIMEOUT} s per child`);

  const floor = await runChild({ label: `I/O floor (${count(FLOWS)} flows)`, args: ioFloorArgs(flowsFile, 'count'), timeoutSeconds: TIMEOUT });
  console.log(runRow('floor', FLOWS, floor));
  if (!floor.ok) fail(describeFailure(floor, TIMEOUT));
  const diff = await runChild({ label: `diff (${count(FLOWS)} flows)`, args: [CLI, 'diff', '--before', beforeFile, '--after', afterFile, '--flows', flowsFile, '-o', 'json'], timeoutSeconds: TIMEOUT, keepBytes: HEAD });
  console.log(runRow('diff', FLOWS, diff, floor));
  if (!diff.ok) fail(describeFailure(diff, TIMEOUT));
  else {
    const summary = summaryOf(diff.head);
    const total = summary ? summary.changed + summary.unchanged + summary.added + summary.removed : 0;
    if (!summary || total !== FLOWS || summary.added !== 0 || summary.removed !== 0) fail(`diff's summary does not account for ${count(FLOWS)} flows run twice: ${summary ? JSON.stringify(summary) : diff.head.slice(0, 300)}`);
    else if (summary.changed === 0) fail('diff found no changed flow; the change should show');
    else console.log(`  output checked: ${count(summary.changed)} changed and ${count(summary.unchanged)} unchanged of ${count(FLOWS)} flows (${mb(diff.stdoutBytes)} of JSON)`);
    if (diff.seconds >= 5) console.log(`target: a ${count(FLOWS)}-flow diff in under 5 s: not met (${secs(diff.seconds)})`);
    else console.log(`target: a ${count(FLOWS)}-flow diff in under 5 s: met`);
  }
  return failures;
}

await runBenchmark(main);
