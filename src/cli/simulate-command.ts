import type { Command } from 'commander';
import { loadManifestFiles } from '../files.js';
import { hasTraffic, NO_TRAFFIC, parseGeneration, readTraffic } from './traffic.js';
import { streamRecordings } from './stream-recordings.js';
import { policyCoverage, type PolicyCoverage } from '../core/policy-coverage.js';
import { prepareMesh, simulate, simulateRecorded } from '../index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { SimulationReport } from '../model/result.js';
import { renderJson, renderJsonLines } from '../report/json.js';
import { renderCoverageText } from '../report/coverage-text.js';
import { renderText } from '../report/text.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
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
  coverage?: boolean;
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
    .option('--coverage', 'also report which policy rules no flow hit, and which flows were allowed with no ALLOW policy matching')
    .action(async (opts: SimulateOptions) => {
      process.exitCode = await runSimulate(opts);
    });
}

async function runSimulate(opts: SimulateOptions): Promise<number> {
  const format = outputFormat(opts.output, FORMATS, 'text');
  const failOn = parseFailOn(opts.failOn);
  const istiodEnv = parseKeyValues(opts.istiodEnv, '--istiod-env');
  if (!hasTraffic(opts)) throw new UsageError(NO_TRAFFIC);
  parseGeneration(opts);
  const loaded = await loadManifestFiles(opts.file, { istiodEnv });
  const index = prepareMesh(loaded.cluster);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (format === 'jsonl' && !opts.flows && opts.generate === undefined && !opts.coverage && (opts.trace || opts.flowLog)) {
    const streamed = await streamRecordings(opts.trace ?? [], opts.flowLog ?? [], index, opts.undoDnat === true, diagnostics);
    if (hasUnreadableInput(diagnostics)) return EXIT_USAGE;
    return (failOn.has('deny') && streamed.denied > 0) || (failOn.has('plaintext') && streamed.plaintext > 0) ? EXIT_CONDITION : EXIT_OK;
  }
  const traffic = await readTraffic(opts, index, diagnostics);
  const report: SimulationReport = traffic.recorded
    ? simulateRecorded(index, { ...traffic.recorded, flows: [...traffic.flows, ...traffic.recorded.flows] }, { undoDnat: opts.undoDnat === true, diagnostics })
    : simulate(index, traffic.flows, diagnostics);
  const coverage = opts.coverage ? policyCoverage(index.mesh, report.results) : undefined;
  process.stdout.write(render(report, format, coverage));
  if (hasUnreadableInput(diagnostics)) return EXIT_USAGE;
  return failed(report, failOn) ? EXIT_CONDITION : EXIT_OK;
}

function render(report: SimulationReport, format: (typeof FORMATS)[number], coverage: PolicyCoverage | undefined): string {
  const extra = coverage ? { coverage } : {};
  if (format === 'json') return renderJson(report, extra);
  if (format === 'jsonl') return renderJsonLines(report, extra);
  const style = terminalStyle(process.stdout);
  return `${renderText(report, style)}${coverage ? `\n${renderCoverageText(coverage, style)}` : ''}`;
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
