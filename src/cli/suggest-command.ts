import type { Command } from 'commander';
import { runSimulation } from '../files/run-simulation.js';
import { hasTraffic, NO_TRAFFIC, parseGeneration, reportGeneration, trafficInputs, type TrafficOptions } from './traffic.js';
import { progressWatcher } from './read-recordings.js';
import { escapeText, prepareMesh, renderDiagnosticsText, renderSuggestionJson, renderSuggestionYaml, suggestPolicies } from '../index.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import type { SuggestAt } from '../model/suggestion.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { collect, hasUnreadableInput, outputFormat, parseKeyValues, terminalStyle } from './options.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { addManifestOptions, loadManifestPaths, manifestPaths, type ManifestOptions } from './manifest-option.js';

const FORMATS = ['yaml', 'json'] as const;
const AT = ['auto', 'ztunnel', 'waypoint'] as const;

interface SuggestOptions extends ManifestOptions, TrafficOptions {
  at?: string;
  output?: string;
  istiodEnv?: string[];
  check?: boolean;
}

/** `suggest`: least-privilege AuthorizationPolicies from observed traffic, verified by replay. */
export function registerSuggest(program: Command): void {
  const command = program
    .command('suggest')
    .description('write the least-privilege AuthorizationPolicies that allow the observed traffic, at the enforcement point that can enforce them, and verify them by replay');
  addManifestOptions(command, { required: true, description: 'manifest files or directories (YAML or JSON, multi-document, kind: List)' })
    .option('--flows <file>', 'flows file: JSONL, or a YAML or JSON list; - reads standard input')
    .option('--trace <files...>', 'packet captures (pcap, pcapng)')
    .option('--flow-log <files...>', 'flow logs (JSONL flows, Hubble exports)')
    .option('--generate <n>', 'generate n flows over the cluster')
    .option('--seed <s>', 'seed for --generate')
    .option('--at <point>', `where rules go: ${AT.join(', ')} (auto: HTTP rules at waypoints, the rest at ztunnel)`, 'auto')
    .option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`, 'yaml')
    .option('--istiod-env <KEY=VALUE>', 'istiod feature flag, overriding the istiod Deployment (repeatable)', collect)
    .option('--check', 'exit 1 when the replay disagrees: an observed flow denied, or validate reports the suggestion')
    .action(async (opts: SuggestOptions) => {
      process.exitCode = await runSuggest(opts);
    });
}

/** Reads the traffic as `simulate` does (through the cluster as given), then suggests and replays. */
async function runSuggest(opts: SuggestOptions): Promise<number> {
  const format = outputFormat(opts.output, FORMATS, 'yaml');
  const at = parseAt(opts.at);
  const istiodEnv = parseKeyValues(opts.istiodEnv, '--istiod-env');
  if (!hasTraffic(opts)) throw new UsageError(NO_TRAFFIC);
  const generation = parseGeneration(opts);
  const loaded = await loadManifestPaths(manifestPaths(opts.filename), { istiodEnv, ...(opts.flows === '-' ? { stdinTakenBy: '--flows' } : {}) });
  const index = prepareMesh(loaded.cluster);
  if (generation) reportGeneration(generation);
  const flows: Flow[] = [];
  const results: FlowResult[] = [];
  const run = runSimulation(index, trafficInputs(opts, generation), {
    timeOrder: true, diagnostics: loaded.diagnostics, watcher: progressWatcher(), onFlow: (flow) => flows.push(flow),
  });
  for await (const batch of run.results) for (const r of batch) results.push(r);
  const tail = run.tail();
  if (hasUnreadableInput(tail.diagnostics)) {
    reportUnreadable(tail.diagnostics, tail.flowsFile);
    return EXIT_USAGE;
  }
  const report = suggestPolicies(loaded.cluster, flows, { at, results, istiodEnv });
  // YAML keeps stdout for the policies: objects the input had rejected are named on stderr (the
  // warnings are in -o json, and `validate` lists them).
  const rejected = tail.diagnostics.filter((d) => d.severity === 'error');
  if (format === 'yaml' && rejected.length > 0) process.stderr.write(renderDiagnosticsText(rejected, terminalStyle(process.stderr)).map((l) => `${l}\n`).join(''));
  process.stdout.write(format === 'json' ? renderSuggestionJson(report, tail.diagnostics) : renderSuggestionYaml(report));
  if (!report.replay.agrees) {
    process.stderr.write(`ambient-bench: the replay disagrees with the suggestion (${report.replay.observed.denied.length} observed flow(s) denied, ${report.replay.validation.length} validation finding(s)); this is a bug, please report it\n`);
    if (opts.check) return EXIT_CONDITION;
  }
  return EXIT_OK;
}

function parseAt(value: string | undefined): SuggestAt {
  const v = value ?? 'auto';
  if (!(AT as readonly string[]).includes(v)) throw new UsageError(`--at must be one of ${AT.join(', ')}, got "${v}"`);
  return v as SuggestAt;
}

/** Says on stderr what could not be read (file:line), and that no policy was suggested from the rest. */
function reportUnreadable(diagnostics: readonly Diagnostic[], flowsFile: { entries: number; dropped: number } | undefined): void {
  const lines = diagnostics.filter((d) => hasUnreadableInput([d])).map((d) => `ambient-bench: ${escapeText(d.message)}`);
  if (flowsFile && flowsFile.dropped > 0) lines.push(`ambient-bench: ${flowsFile.dropped} of ${flowsFile.entries} flows file entries were dropped as invalid`);
  lines.push('ambient-bench: some input could not be read whole (exit 2); no policy was suggested from what was left');
  process.stderr.write(`${lines.join('\n')}\n`);
}
