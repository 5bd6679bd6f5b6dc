import type { Command } from 'commander';
import { escapeText, explainFlow, renderExplanation, renderDiagnosticsText } from '../index.js';
import type { Flow, FlowDestination, FlowSource } from '../model/flow.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { addManifestOptions, loadManifestPaths, manifestPaths, type ManifestOptions } from './manifest-option.js';
import { collect, hasUnreadableInput, outputFormat, parseKeyValues, terminalStyle } from './options.js';

interface ExplainOptions extends ManifestOptions {
  from: string;
  to: string;
  method?: string;
  path?: string;
  host?: string;
  header?: string[];
  protocol?: string;
  id?: string;
  output?: string;
  istiodEnv?: string[];
}

/** `explain`: one flow, every enforcement point, every policy in scope, and the nearest misses. */
export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description('explain one flow: its path, each enforcement point, every policy in scope and why it matched or not');
  addManifestOptions(command, { required: true, description: 'manifest files or directories' })
    .requiredOption('--from <source>', 'ns/workload (pod or controller) or an IP')
    .requiredOption('--to <destination>', 'ns/service:port, ns/workload:port or ip:port')
    .option('--method <method>', 'HTTP method (makes the flow HTTP)')
    .option('--path <path>', 'HTTP path (makes the flow HTTP)')
    .option('--host <host>', 'HTTP host')
    .option('--header <k=v>', 'HTTP header (repeatable)', collect)
    .option('--protocol <protocol>', 'tcp, http or udp (default: http when --method/--path/--header is given, else tcp)')
    .option('--id <id>', 'flow id (Service traffic picks its endpoint by flow id, as in a replayed run)', 'explain')
    .option('-o, --output <format>', 'output format: text, json', 'text')
    .option('--istiod-env <KEY=VALUE>', 'istiod feature flag (repeatable)', collect)
    .action(async (opts: ExplainOptions) => {
      process.exitCode = await runExplain(opts);
    });
}

async function runExplain(opts: ExplainOptions): Promise<number> {
  const format = outputFormat(opts.output, ['text', 'json'] as const, 'text');
  const istiodEnv = parseKeyValues(opts.istiodEnv, '--istiod-env');
  const loaded = await loadManifestPaths(manifestPaths(opts.filename), { istiodEnv });
  const flow = flowFromOptions(opts, loaded.cluster.services.map((s) => `${s.meta.ref.namespace}/${s.meta.ref.name}`));
  const evaluation = explainFlow(loaded.cluster, flow);
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, result: evaluation.result, enforcement: evaluation.decisions.map((d) => ({ component: d.checkpoint.component, name: d.checkpoint.name, sees: d.checkpoint.attributes, decision: d.decision })), diagnostics: loaded.diagnostics }, null, 2)}\n`);
  } else {
    const style = terminalStyle(process.stdout);
    const problems = loaded.diagnostics.filter((d) => d.severity !== 'info');
    process.stdout.write(renderExplanation(evaluation, style));
    if (problems.length > 0) process.stderr.write(`${renderDiagnosticsText(problems, terminalStyle(process.stderr)).join('\n')}\n`);
  }
  // --from/--to naming nothing in the manifests is a usage error, after the explanation says which.
  const unknown = evaluation.result.reason === 'unknown-source' || evaluation.result.reason === 'unknown-destination';
  if (unknown) process.stderr.write(`ambient-bench: ${escapeText(evaluation.result.reason === 'unknown-source' ? `--from ${opts.from}` : `--to ${opts.to}`)} names nothing in the manifests\n`);
  return hasUnreadableInput(loaded.diagnostics) || unknown ? EXIT_USAGE : EXIT_OK;
}

function flowFromOptions(opts: ExplainOptions, services: readonly string[]): Flow {
  const headers = Object.fromEntries(Object.entries(parseKeyValues(opts.header, '--header')).map(([k, v]) => [k.toLowerCase(), v]));
  const isHttp = opts.protocol === 'http' || (opts.protocol === undefined && (opts.method !== undefined || opts.path !== undefined || opts.header !== undefined));
  if (opts.protocol !== undefined && !['tcp', 'http', 'udp'].includes(opts.protocol)) throw new UsageError(`--protocol takes tcp, http or udp, got "${opts.protocol}"`);
  return {
    id: opts.id ?? 'explain', source: parseSource(opts.from), destination: parseDestination(opts.to, services),
    protocol: isHttp ? 'http' : (opts.protocol as 'tcp' | 'udp' | undefined) ?? 'tcp',
    ...(isHttp ? { http: { method: opts.method ?? 'GET', path: opts.path ?? '/', ...(opts.host ? { host: opts.host } : {}), headers } } : {}),
    time: 0, origin: { kind: 'cli' },
  };
}

function parseSource(text: string): FlowSource {
  if (/^[0-9.]+$/.test(text) || text.includes(':')) return { ip: text };
  if (!text.includes('/')) throw new UsageError(`--from takes ns/workload or an IP, got "${text}"`);
  return { workload: text };
}

/** `ns/name:port` is a Service when one has that name, else a workload; `ip:port` or `[v6]:port` an address. */
function parseDestination(text: string, services: readonly string[]): FlowDestination {
  const m = /^(.*):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--to takes ns/service:port, ns/workload:port or ip:port, got "${text}"`);
  const target = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
  if (!target.includes('/')) return { ip: target, port };
  return services.includes(target) ? { service: target, port } : { workload: target, port };
}
