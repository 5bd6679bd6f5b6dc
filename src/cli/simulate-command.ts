import type { Command } from 'commander';
import { jsonLinesStream, jsonStream, runSimulation, textStream, type ReportStream, type RunTail, type SimulationRun } from '../files/run-simulation.js';
import { hasTraffic, NO_TRAFFIC, parseGeneration, reportGeneration, trafficInputs } from './traffic.js';
import { progressWatcher } from './read-recordings.js';
import { graphDirectory, graphStream, htmlStream, IstioMetricsRecorder, loadManifests, prepareMesh, policyCoverage, renderCoverageText, type MeshIndex } from '../index.js';
import { metricsRecorder, writeMetrics, type MetricsOptions } from './metrics-option.js';
import type { FlowResult } from '../model/result.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { collect, hasUnreadableInput, outputFormat, parseKeyValues, reportUnreadableInput, terminalStyle } from './options.js';
import { addManifestOptions, manifestPaths, readManifestPaths, type ManifestOptions } from './manifest-option.js';
import { PacedOutput } from './paced-output.js';
import { runTimelineSimulate } from './timeline-simulate.js';
import { parseShard } from './shard-option.js';
import { jobCount } from './job-count.js';
import { runParallelSimulation } from '../files/parallel-simulation.js';

const FORMATS = ['text', 'json', 'jsonl', 'html', 'mermaid', 'dot'] as const;
const FAIL_ON = ['deny', 'plaintext'] as const;

interface SimulateOptions extends ManifestOptions, MetricsOptions {
  flows?: string;
  trace?: string[];
  flowLog?: string[];
  generate?: string;
  seed?: string;
  undeclaredPorts?: boolean;
  output?: string;
  istiodEnv?: string[];
  failOn?: string;
  undoDnat?: boolean;
  coverage?: boolean;
  timeline?: string;
  shard?: string;
  jobs?: string;
}

/** `simulate`: replay traffic through the mesh the manifests describe and report every flow. */
export function registerSimulate(program: Command): void {
  const command = program
    .command('simulate')
    .description('replay traffic through the mesh the manifests describe; report, per flow, allow or deny, encryption, and why');
  addManifestOptions(command, { required: true, description: 'manifest files or directories (YAML or JSON, multi-document, kind: List)' })
    .option('--flows <file>', 'flows file: JSONL (streamed, any size), or a YAML or JSON list; - reads standard input')
    .option('--trace <files...>', 'packet captures (pcap, pcapng)')
    .option('--flow-log <files...>', 'flow logs (JSONL flows, Hubble exports)')
    .option('--undo-dnat', 'replay flows captured to a pod behind a Service as traffic to the Service (captures taken after kube-proxy DNAT)')
    .option('--generate <n>', 'generate n flows over the cluster')
    .option('--seed <s>', 'seed for --generate')
    .option('--undeclared-ports', 'with --generate: also ports and protocols the manifests do not declare')
    .option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--istiod-env <KEY=VALUE>', 'istiod feature flag, overriding the istiod Deployment (repeatable)', collect)
    .option('--fail-on <conditions>', `exit 1 when any flow is: ${FAIL_ON.join(', ')} (comma-separated)`)
    .option('--timeline <file>', 'run the traffic through a timeline (DESIGN.md "Timeline"): a list of timed events, or a mapping with settings (pushDelay: seconds from a change to its push) and a timeline list')
    .option('--coverage', 'also report which policy rules no flow hit, and which flows were allowed with no ALLOW policy matching')
    .option('--metrics <file>', 'also write Istio\'s standard metrics (istio_requests_total, istio_tcp_connections_*) as the reporters would emit them, as OpenMetrics text')
    .option('--metrics-window <seconds>', 'with --metrics: seconds per sample (one sample per series per window)', '15')
    .option('--metrics-start <time>', 'with --metrics: the wall-clock time of the traffic\'s second 0 (RFC 3339, or seconds since the epoch); default: now')
    .option('--jobs <n>', 'worker threads for -o jsonl (default: the machine\'s cores when the traffic is large, else 1); the output is the same as with one')
    .option('--shard <k/n>', 'decide only the k-th of n shards of the traffic (by pair of endpoints; every input is still read whole), for `merge`; needs -o jsonl')
    .action(async (opts: SimulateOptions) => {
      process.exitCode = await runSimulate(opts);
    });
}

/**
 * Results are written as they are decided (stdout paces the reading); only the counts `--fail-on`
 * needs are kept, and the results themselves only for `--coverage`.
 */
async function runSimulate(opts: SimulateOptions): Promise<number> {
  const format = outputFormat(opts.output, FORMATS, 'text');
  const failOn = parseFailOn(opts.failOn);
  const istiodEnv = parseKeyValues(opts.istiodEnv, '--istiod-env');
  if (!hasTraffic(opts)) throw new UsageError(NO_TRAFFIC);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  if (shard && format !== 'jsonl') throw new UsageError('--shard writes a report for `merge`: use it with -o jsonl');
  if (shard && opts.coverage) throw new UsageError('--shard and --coverage cannot be used together: coverage needs every flow');
  if (shard && opts.metrics !== undefined) throw new UsageError('--shard and --metrics cannot be used together: the metrics need every flow');
  const generation = parseGeneration(opts);
  const metrics = metricsRecorder(opts);
  const jobs = await jobCount(opts, format, shard ? '--shard' : opts.timeline !== undefined ? '--timeline' : undefined);
  const manifests = { istiodEnv, ...(opts.flows === '-' ? { stdinTakenBy: '--flows' } : {}) };
  const read = await readManifestPaths(manifestPaths(opts.filename), manifests);
  const loaded = loadManifests(read.inputs, istiodEnv ? { istiodEnv } : {});
  const loadDiagnostics = [...read.diagnostics, ...loaded.diagnostics];
  const index = prepareMesh(loaded.cluster);
  if (opts.timeline !== undefined) {
    if (opts.coverage) throw new UsageError('--coverage does not take --timeline yet');
    if (shard) throw new UsageError('--shard does not take --timeline: a timeline needs every flow in time order');
    if (opts.metrics !== undefined) throw new UsageError('--metrics does not take --timeline yet');
    if (format === 'dot' || format === 'mermaid' || format === 'html') throw new UsageError(`-o ${format} does not take --timeline yet`);
    return runTimelineSimulate({ timeline: opts.timeline, traffic: opts, format, failOn, cluster: loaded.cluster, index, diagnostics: loadDiagnostics });
  }
  if (generation) reportGeneration(generation);
  const out = new PacedOutput();
  if (jobs > 1) {
    // More than one job runs -o jsonl only, without --metrics (job-count.ts).
    const stream = jsonLinesStream();
    out.write(stream.head());
    const run = runParallelSimulation(index, trafficInputs(opts, generation), { inputs: read.inputs, ...(istiodEnv ? { istiodEnv } : {}), undoDnat: opts.undoDnat === true }, jobs, {
      diagnostics: loadDiagnostics, watcher: progressWatcher(),
    });
    const seen = await writeJsonLines(run, out);
    return finish(out, stream, format, run.tail(), seen, failOn, {});
  }
  const recorder = metrics ? new IstioMetricsRecorder(index.mesh, metrics) : undefined;
  const run = runSimulation(index, trafficInputs(opts, generation), {
    // The graph and the metrics do not depend on the order of results, so only text and json hold a capture's flows to sort them.
    undoDnat: opts.undoDnat === true, timeOrder: format === 'text' || format === 'json', diagnostics: loadDiagnostics,
    watcher: progressWatcher(), ...(shard ? { shard } : {}),
    ...(recorder ? { onResult: (flow, result) => recorder.add(result, flow.time, flow.http !== undefined) } : {}),
  });
  const stream = reportStream(format, index);
  out.write(stream.head());
  const held: FlowResult[] | undefined = opts.coverage ? [] : undefined;
  const seen = format === 'jsonl' && !held && !recorder ? await writeJsonLines(run, out) : await writeResults(run, stream, out, held);
  const tail = run.tail();
  const coverage = held ? policyCoverage(index.mesh, held) : undefined;
  if (recorder && opts.metrics) await writeMetrics(opts.metrics, recorder.render());
  return finish(out, stream, format, tail, seen, failOn, coverage ? { coverage } : tail.shard ? { shard: tail.shard } : {});
}

/** Writes the report's tail (and coverage, for text), then decides the exit code. */
function finish(out: PacedOutput, stream: ReportStream, format: (typeof FORMATS)[number], tail: RunTail, seen: Seen, failOn: Set<(typeof FAIL_ON)[number]>, extra: { readonly coverage?: ReturnType<typeof policyCoverage>; readonly shard?: RunTail['shard'] }): number {
  out.write(stream.tail(reportTail(tail), extra));
  if (extra.coverage && format === 'text') out.write(`\n${renderCoverageText(extra.coverage, terminalStyle(process.stdout))}`);
  out.flush();
  if (hasUnreadableInput(tail.diagnostics)) {
    reportUnreadableInput(tail.diagnostics, format === 'text', tail.flowsFile);
    return EXIT_USAGE;
  }
  return (failOn.has('deny') && seen.denied > 0) || (failOn.has('plaintext') && seen.plaintext > 0) ? EXIT_CONDITION : EXIT_OK;
}

/** Counts `--fail-on` reads: denied flows, and allowed flows not encrypted end to end. */
interface Seen {
  denied: number;
  plaintext: number;
}

/** `-o jsonl`: the run's lines as it writes them, waiting for stdout between batches. */
async function writeJsonLines(run: Pick<SimulationRun, 'jsonLines'>, out: PacedOutput): Promise<Seen> {
  const seen = { denied: 0, plaintext: 0 };
  for await (const batch of run.jsonLines) {
    seen.denied += batch.denied;
    seen.plaintext += batch.plaintext;
    if (batch.bytes) out.writeBytes(batch.bytes);
    else out.write(batch.text);
    await out.written();
  }
  return seen;
}

/** Every result through the report stream, waiting for stdout between batches; `held` keeps them (for `--coverage`). */
async function writeResults(run: SimulationRun, stream: ReportStream, out: PacedOutput, held: FlowResult[] | undefined): Promise<Seen> {
  const seen = { denied: 0, plaintext: 0 };
  for await (const batch of run.results) {
    for (const r of batch) {
      if (r.verdict === 'deny') seen.denied++;
      else if (!r.encrypted) seen.plaintext++;
      held?.push(r);
      out.write(stream.result(r));
    }
    await out.written();
  }
  return seen;
}

/** `-o html` gathers the results (the first 200,000 flows listed, every flow counted) and writes the file at the end. */
function reportStream(format: (typeof FORMATS)[number], index: MeshIndex): ReportStream {
  if (format === 'json') return jsonStream();
  if (format === 'html') return htmlStream(graphDirectory([index.mesh]));
  if (format === 'dot' || format === 'mermaid') return graphStream(format, graphDirectory([index.mesh]));
  if (format === 'jsonl') return jsonLinesStream();
  return textStream(terminalStyle(process.stdout));
}

function reportTail(tail: RunTail): { schemaVersion: 1; diagnostics: RunTail['diagnostics']; summary: RunTail['summary']; capture?: NonNullable<RunTail['capture']> } {
  return { schemaVersion: 1, diagnostics: tail.diagnostics, summary: tail.summary, ...(tail.capture ? { capture: tail.capture } : {}) };
}

function parseFailOn(value: string | undefined): Set<(typeof FAIL_ON)[number]> {
  const out = new Set<(typeof FAIL_ON)[number]>();
  for (const part of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!(FAIL_ON as readonly string[]).includes(part)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')}, got "${part}"`);
    out.add(part as (typeof FAIL_ON)[number]);
  }
  return out;
}
