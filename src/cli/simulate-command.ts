import type { Command } from 'commander';
import { jsonLinesStream, jsonStream, runSimulation, textStream, type ReportStream, type RunTail, type SimulationRun } from '../files/run-simulation.js';
import { hasTraffic, NO_TRAFFIC, parseGeneration, reportGeneration, trafficInputs } from './traffic.js';
import { progressWatcher } from './read-recordings.js';
import { graphDirectory, htmlStream, prepareMesh, policyCoverage, renderCoverageText, type MeshIndex } from '../index.js';
import type { FlowResult } from '../model/result.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { collect, hasUnreadableInput, outputFormat, parseKeyValues, reportUnreadableInput, terminalStyle } from './options.js';
import { addManifestOptions, loadManifestPaths, manifestPaths, type ManifestOptions } from './manifest-option.js';
import { PacedOutput } from './paced-output.js';

const FORMATS = ['text', 'json', 'jsonl', 'html'] as const;
const FAIL_ON = ['deny', 'plaintext'] as const;

interface SimulateOptions extends ManifestOptions {
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
    .option('--coverage', 'also report which policy rules no flow hit, and which flows were allowed with no ALLOW policy matching')
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
  const generation = parseGeneration(opts);
  const loaded = await loadManifestPaths(manifestPaths(opts.filename), { istiodEnv, ...(opts.flows === '-' ? { stdinTakenBy: '--flows' } : {}) });
  const index = prepareMesh(loaded.cluster);
  if (generation) reportGeneration(generation);
  const out = new PacedOutput();
  const run = runSimulation(index, trafficInputs(opts, generation), {
    undoDnat: opts.undoDnat === true, timeOrder: format !== 'jsonl', diagnostics: loaded.diagnostics,
    watcher: progressWatcher(),
  });
  const stream = reportStream(format, index);
  const held: FlowResult[] | undefined = opts.coverage ? [] : undefined;
  out.write(stream.head());
  const seen = format === 'jsonl' && !held ? await writeJsonLines(run, out) : await writeResults(run, stream, out, held);
  const tail = run.tail();
  const coverage = held ? policyCoverage(index.mesh, held) : undefined;
  out.write(stream.tail(reportTail(tail), coverage ? { coverage } : {}));
  if (coverage && format === 'text') out.write(`\n${renderCoverageText(coverage, terminalStyle(process.stdout))}`);
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
async function writeJsonLines(run: SimulationRun, out: PacedOutput): Promise<Seen> {
  const seen = { denied: 0, plaintext: 0 };
  for await (const batch of run.jsonLines) {
    seen.denied += batch.denied;
    seen.plaintext += batch.plaintext;
    out.write(batch.text);
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
