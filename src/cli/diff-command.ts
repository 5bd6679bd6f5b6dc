import type { Command } from 'commander';
import type { ResultDiff } from '../model/diff.js';
import type { AfterSpec } from '../files/after-configuration.js';
import { DiffSide, DiffSideFailure } from '../files/parallel-diff.js';
import { availableParallelism } from 'node:os';
import { readWhatIfFile } from '../files/scenarios.js';
import { DiffRun, diffRuns, escapeText, graphDirectory, placeRecordedFlows, prepareMesh, applyWhatIf, renderDiffJson, renderDiffText, renderDiffMarkdown, renderDiffHtml, type MeshIndex } from '../index.js';
import { readFlowsInput } from '../files/flows-input.js';
import type { Cluster, IstiodEnv } from '../model/cluster.js';
import { hasTraffic, NO_TRAFFIC, parseGeneration, readTraffic } from './traffic.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { GraphDirectory } from '../index.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { addManifestOptions, checkPathsExist, loadManifestPaths, manifestPaths, type ManifestOptions } from './manifest-option.js';
import { collect, hasUnreadableInput, outputFormat, parseKeyValues, terminalStyle } from './options.js';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;

interface DiffOptions extends ManifestOptions {
  before?: string[];
  after?: string[];
  whatIf?: string;
  flows?: string;
  trace?: string[];
  flowLog?: string[];
  generate?: string;
  seed?: string;
  undeclaredPorts?: boolean;
  output?: string;
  istiodEnv?: string[];
  failOnChange?: boolean;
}

/** `diff`: the same traffic through two configurations (two manifest sets, or manifests and what-if steps). */
export function registerDiff(program: Command): void {
  const command = program
    .command('diff')
    .description('replay the same traffic through two configurations and report, per flow, what changed')
    .option('--before <paths...>', 'manifests of the configuration before (files or directories; comma-separated lists and - as for -f)')
    .option('--after <paths...>', 'manifests of the configuration after (files or directories; comma-separated lists and - as for -f)');
  addManifestOptions(command, { required: false, description: 'manifests to change with --what-if' })
    .option('--what-if <file>', 'what-if steps (a list, or a scenario file\'s whatIf) applied to -f to get "after"')
    .option('--flows <file>', 'flows file: YAML or JSON list, or JSONL')
    .option('--trace <files...>', 'packet captures (pcap, pcapng)')
    .option('--flow-log <files...>', 'flow logs (JSONL flows, Hubble exports)')
    .option('--generate <n>', 'generate n flows over the configuration before')
    .option('--seed <s>', 'seed for --generate')
    .option('--undeclared-ports', 'with --generate: also ports and protocols the manifests do not declare')
    .option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--istiod-env <KEY=VALUE>', 'istiod feature flag for both configurations (repeatable)', collect)
    .option('--fail-on-change', 'exit 1 when any flow changes')
    .action(async (opts: DiffOptions) => {
      process.exitCode = await runDiff(opts);
    });
}

async function runDiff(opts: DiffOptions): Promise<number> {
  const format = outputFormat(opts.output, FORMATS, 'text');
  const istiodEnv = parseKeyValues(opts.istiodEnv, '--istiod-env');
  checkUsage(opts);
  const beforePaths = manifestPaths(opts.before ?? opts.filename);
  const side = await startSide(opts, beforePaths, istiodEnv);
  try {
    const before = await loadManifestPaths(beforePaths, { istiodEnv, option: opts.before ? '--before' : '-f', ...stdinTakenBy(opts, '--after') });
    const beforeIndex = prepareMesh(before.cluster);
    const run = (side && (await diffOnTwoThreads(side, opts.flows as string, beforeIndex, before.diagnostics))) ?? (await diffOnOneThread(opts, istiodEnv, before.cluster, beforeIndex, before.diagnostics));
    // The two configurations repeat the diagnostics they share; each is listed once.
    const seen = new Set<string>();
    const all = run.diagnostics.filter((d) => {
      const key = `${d.code}|${d.file ?? ''}|${d.line ?? ''}|${d.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    const diff = run.diff;
    process.stdout.write(render(diff, format, { notes: run.notes, diagnostics: all.filter((d) => d.severity !== 'info'), directory: graphDirectory([beforeIndex.mesh]) }));
    if (hasUnreadableInput(all)) return EXIT_USAGE;
    return opts.failOnChange && diff.counts.changed + diff.counts.added + diff.counts.removed > 0 ? EXIT_CONDITION : EXIT_OK;
  } finally {
    await side?.close();
  }
}

/**
 * A second thread for the side after the change, when a flows file (not standard input) is diffed on
 * a machine with more than one core and that thread can read every input itself (no manifests from `-`).
 */
async function startSide(opts: DiffOptions, beforePaths: readonly string[], istiodEnv: IstiodEnv): Promise<DiffSide | undefined> {
  if (!streamsFlowsFile(opts) || opts.flows === '-' || availableParallelism() < 2) return undefined;
  const spec: AfterSpec = opts.whatIf !== undefined
    ? { kind: 'what-if', paths: beforePaths, whatIf: opts.whatIf, istiodEnv }
    : { kind: 'manifests', paths: manifestPaths(opts.after), istiodEnv };
  if (spec.paths.includes('-')) return undefined;
  // A missing path is a usage error here as on one thread, before any thread starts.
  await checkPathsExist(spec.paths, spec.kind === 'manifests' ? '--after' : '-f');
  return new DiffSide(spec, opts.flows as string);
}

/** A diff with its notes and every diagnostic, in the order they are listed: inputs, flows, then each mesh's. */
interface DiffOutcome {
  readonly diff: ResultDiff;
  readonly notes: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

async function diffOnOneThread(opts: DiffOptions, istiodEnv: IstiodEnv, before: Cluster, beforeIndex: MeshIndex, beforeDiagnostics: readonly Diagnostic[]): Promise<DiffOutcome> {
  const diagnostics: Diagnostic[] = [...beforeDiagnostics];
  const after = await afterConfiguration(opts, before, istiodEnv, diagnostics);
  const afterIndex = prepareMesh(after.cluster);
  const diff = streamsFlowsFile(opts) ? await diffFlowsFile(opts.flows as string, beforeIndex, afterIndex, diagnostics) : await diffTraffic(opts, beforeIndex, afterIndex, diagnostics);
  return { diff, notes: after.notes, diagnostics: diagnostics.concat(beforeIndex.mesh.diagnostics, afterIndex.mesh.diagnostics) };
}

/** The same diff with the side after on its own thread; undefined when that thread could not run (the caller diffs on one). */
async function diffOnTwoThreads(side: DiffSide, flows: string, beforeIndex: MeshIndex, beforeDiagnostics: readonly Diagnostic[]): Promise<DiffOutcome | undefined> {
  try {
    const after = await side.configured();
    const diagnostics: Diagnostic[] = [...beforeDiagnostics, ...after.configDiagnostics];
    const diff = await side.diff(beforeIndex, flows, diagnostics);
    return { diff, notes: after.notes, diagnostics: diagnostics.concat(beforeIndex.mesh.diagnostics, after.meshDiagnostics) };
  } catch (e) {
    if (!(e instanceof DiffSideFailure)) throw e;
    process.stderr.write(`ambient-bench diff: the second thread stopped (${escapeText(e.message)}); diffing on one thread\n`);
    return undefined;
  }
}

/** The configuration after: the manifests of --after, or -f changed by the --what-if steps. */
async function afterConfiguration(opts: DiffOptions, before: Cluster, istiodEnv: IstiodEnv, diagnostics: Diagnostic[]): Promise<{ cluster: Cluster; notes: readonly string[] }> {
  if (opts.whatIf !== undefined) {
    const steps = await readWhatIfFile(opts.whatIf, istiodEnv);
    const outcome = applyWhatIf(before, steps.steps);
    for (const d of steps.diagnostics) diagnostics.push(d);
    for (const d of outcome.diagnostics) diagnostics.push(d);
    return { cluster: outcome.cluster, notes: outcome.notes };
  }
  const after = await loadManifestPaths(manifestPaths(opts.after), { istiodEnv, option: '--after', ...stdinTakenBy(opts) });
  for (const d of after.diagnostics) diagnostics.push(d);
  return { cluster: after.cluster, notes: [] };
}

/** A flows file alone is diffed as it is read; captures, flow logs and generated flows are read whole first. */
function streamsFlowsFile(opts: DiffOptions): boolean {
  return opts.flows !== undefined && opts.trace === undefined && opts.flowLog === undefined && opts.generate === undefined;
}

async function diffFlowsFile(file: string, before: MeshIndex, after: MeshIndex, diagnostics: Diagnostic[]): Promise<ResultDiff> {
  const run = new DiffRun(before, after);
  const source = { file, ...(file === '-' ? { stdin: process.stdin } : {}) };
  for await (const batch of readFlowsInput(source, diagnostics, { entries: 0, dropped: 0, flows: 0 })) for (const flow of batch) run.add(flow);
  return run.finish();
}

/** Captures are read, and flows generated, over the configuration before the change. */
async function diffTraffic(opts: DiffOptions, before: MeshIndex, after: MeshIndex, diagnostics: Diagnostic[]): Promise<ResultDiff> {
  const traffic = await readTraffic(opts, before, diagnostics);
  const flows = traffic.recorded ? [...traffic.flows, ...placeRecordedFlows(before, traffic.recorded.flows).flows] : traffic.flows;
  return diffRuns(before, after, flows);
}

/** The other option that reads standard input (`--flows -`, or `--after -` when reading `--before`), if one does. */
function stdinTakenBy(opts: DiffOptions, alsoAfter?: '--after'): { stdinTakenBy?: string } {
  if (opts.flows === '-') return { stdinTakenBy: '--flows' };
  return alsoAfter && manifestPaths(opts.after).includes('-') ? { stdinTakenBy: alsoAfter } : {};
}

function checkUsage(opts: DiffOptions): void {
  if (!hasTraffic(opts)) throw new UsageError(NO_TRAFFIC);
  parseGeneration(opts);
  const pair = opts.before !== undefined || opts.after !== undefined;
  const whatIf = opts.filename !== undefined || opts.whatIf !== undefined;
  if (pair && whatIf) throw new UsageError('use either --before/--after, or -f with --what-if, not both');
  if (pair && (!opts.before || !opts.after)) throw new UsageError('--before and --after go together');
  if (whatIf && (!opts.filename || opts.whatIf === undefined)) throw new UsageError('-f and --what-if go together');
  if (!pair && !whatIf) throw new UsageError('nothing to compare: pass --before and --after, or -f and --what-if');
}

function render(diff: ResultDiff, format: (typeof FORMATS)[number], context: { notes: readonly string[]; diagnostics: readonly Diagnostic[]; directory: GraphDirectory }): string {
  if (format === 'json') return renderDiffJson(diff, context);
  if (format === 'html') return renderDiffHtml(diff, context);
  if (format === 'markdown') return renderDiffMarkdown(diff, context);
  return renderDiffText(diff, terminalStyle(process.stdout), context);
}
