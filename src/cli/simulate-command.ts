import type { Command } from 'commander';
import { loadManifestFiles, readFlowsFile } from '../files.js';
import { readCaptureFile, readFlowLogFile } from '../files/recordings.js';
import { listensAt, prepareMesh, simulate, simulateRecorded, type MeshIndex, type RecordedTrafficInput } from '../index.js';
import type { CaptureSummary, FlowLogSummary } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { SimulationReport } from '../model/result.js';
import { renderJson, renderJsonLines } from '../report/json.js';
import { renderText } from '../report/text.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { ProgressBar } from './progress.js';
import { collect, hasUnreadableInput, outputFormat, parseKeyValues, terminalStyle } from './options.js';

const FORMATS = ['text', 'json', 'jsonl'] as const;
const FAIL_ON = ['deny', 'plaintext'] as const;

interface SimulateOptions {
  file: string[];
  flows?: string;
  trace?: string[];
  flowLog?: string[];
  generate?: string;
  seed?: string;
  output?: string;
  istiodEnv?: string[];
  failOn?: string;
  undoDnat?: boolean;
}

/** `simulate`: replay traffic through the mesh the manifests describe and report every flow. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('replay traffic through the mesh the manifests describe; report, per flow, allow or deny, encryption, and why')
    .requiredOption('-f, --file <paths...>', 'manifest files or directories (YAML or JSON, multi-document, kind: List)')
    .option('--flows <file>', 'flows file: YAML or JSON list, or JSONL')
    .option('--trace <files...>', 'packet captures (pcap, pcapng)')
    .option('--flow-log <files...>', 'flow logs (JSONL flows, Hubble exports)')
    .option('--undo-dnat', 'replay flows captured to a pod behind a Service as traffic to the Service (captures taken after kube-proxy DNAT)')
    .option('--generate <n>', 'generate n flows over the cluster')
    .option('--seed <s>', 'seed for --generate')
    .option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--istiod-env <KEY=VALUE>', 'istiod feature flag, overriding the istiod Deployment (repeatable)', collect)
    .option('--fail-on <conditions>', `exit 1 when any flow is: ${FAIL_ON.join(', ')} (comma-separated)`)
    .action(async (opts: SimulateOptions) => {
      process.exitCode = await runSimulate(opts);
    });
}

async function runSimulate(opts: SimulateOptions): Promise<number> {
  const format = outputFormat(opts.output, FORMATS, 'text');
  const failOn = parseFailOn(opts.failOn);
  const istiodEnv = parseKeyValues(opts.istiodEnv, '--istiod-env');
  if (opts.generate !== undefined) throw new UsageError('--generate is not available in this version; use --flows, --trace or --flow-log');
  if (!opts.flows && !opts.trace && !opts.flowLog) throw new UsageError('no traffic given: pass --flows <file>, --trace <capture>... or --flow-log <file>...');
  const loaded = await loadManifestFiles(opts.file, { istiodEnv });
  const index = prepareMesh(loaded.cluster);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const flows: Flow[] = [];
  if (opts.flows) {
    const traffic = await readFlowsFile(opts.flows);
    flows.push(...traffic.flows);
    diagnostics.push(...traffic.diagnostics);
  }
  let report: SimulationReport;
  if (opts.trace || opts.flowLog) {
    const recorded = await readRecordings(opts, index, diagnostics);
    report = simulateRecorded(index, { ...recorded, flows: [...flows, ...recorded.flows] }, { undoDnat: opts.undoDnat === true, diagnostics });
  } else {
    report = simulate(index, flows, diagnostics);
  }
  process.stdout.write(render(report, format));
  if (hasUnreadableInput(diagnostics)) return EXIT_USAGE;
  return failed(report, failOn) ? EXIT_CONDITION : EXIT_OK;
}

async function readRecordings(opts: SimulateOptions, index: MeshIndex, diagnostics: Diagnostic[]): Promise<RecordedTrafficInput> {
  const flows: Flow[] = [];
  const captures: CaptureSummary[] = [];
  const flowLogs: FlowLogSummary[] = [];
  for (const file of opts.trace ?? []) {
    const bar = ProgressBar.enabled() ? new ProgressBar(`reading ${file}`) : undefined;
    const r = await readCaptureFile(file, { isServer: listensAt(index), ...(bar ? { onProgress: (b: number, t: number) => bar.update(b, t) } : {}) }, (f) => flows.push(f));
    bar?.done();
    if (r.summary) captures.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  for (const file of opts.flowLog ?? []) {
    const r = await readFlowLogFile(file);
    flows.push(...r.flows);
    if (r.summary) flowLogs.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  return { flows, captures, flowLogs };
}

function render(report: SimulationReport, format: (typeof FORMATS)[number]): string {
  if (format === 'json') return renderJson(report);
  if (format === 'jsonl') return renderJsonLines(report);
  return renderText(report, terminalStyle(process.stdout));
}

function parseFailOn(value: string | undefined): Set<(typeof FAIL_ON)[number]> {
  const out = new Set<(typeof FAIL_ON)[number]>();
  for (const part of (value ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!(FAIL_ON as readonly string[]).includes(part)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')}, got "${part}"`);
    out.add(part as (typeof FAIL_ON)[number]);
  }
  return out;
}

/** `deny`: any flow denied; `plaintext`: any allowed flow that is not encrypted end to end. */
function failed(report: SimulationReport, failOn: ReadonlySet<string>): boolean {
  return report.results.some((r) =>
    (failOn.has('deny') && r.verdict === 'deny') || (failOn.has('plaintext') && r.verdict === 'allow' && !r.encrypted));
}
