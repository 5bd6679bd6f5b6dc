import type { Command } from 'commander';
import { escapeText, renderCheckHtml, renderCheckJson, renderCheckText, renderJunit } from '../index.js';
import type { ScenarioCheck } from '../model/scenario-check.js';
import { checkScenarioFiles } from '../files/scenarios.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE } from './exit.js';
import { outputFormat, terminalStyle } from './options.js';

const FORMATS = ['text', 'json', 'junit', 'html'] as const;

interface CheckOptions {
  output?: string;
  root?: string;
}

/** `check`: run scenario files (manifests, traffic, what-if, expectations) and report each expectation. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('run scenario files: replay their traffic (before and after their what-if steps) and check their expectations')
    .argument('<scenarios...>', 'scenario files, or directories holding scenario.yaml (searched below)')
    .option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`, 'text')
    .option('--root <dir>', 'directory the scenarios may read files below (default: the directory given, else each scenario file\'s folder); other paths are an error')
    .action(async (paths: string[], opts: CheckOptions) => {
      process.exitCode = await runCheck(paths, opts);
    });
}

async function runCheck(paths: readonly string[], opts: CheckOptions): Promise<number> {
  const format = outputFormat(opts.output, FORMATS, 'text');
  const { checks, diagnostics } = await checkScenarioFiles(paths, opts.root === undefined ? {} : { root: opts.root });
  process.stdout.write(render(checks, diagnostics, format));
  if (format !== 'text' && diagnostics.length > 0) {
    process.stderr.write(`${diagnostics.map((d) => `ambient-bench: ${escapeText(d.message)}`).join('\n')}\n`);
  }
  return checkExitCode(checks, diagnostics);
}

function render(checks: readonly ScenarioCheck[], diagnostics: readonly Diagnostic[], format: (typeof FORMATS)[number]): string {
  if (format === 'json') return renderCheckJson(checks, diagnostics);
  if (format === 'junit') return renderJunit(checks);
  if (format === 'html') return renderCheckHtml(checks, diagnostics);
  return renderCheckText(checks, terminalStyle(process.stdout), diagnostics);
}

/** 2 when a path or scenario could not be read, else 1 when an expectation failed, else 0 (DESIGN.md exit codes). */
export function checkExitCode(checks: readonly ScenarioCheck[], diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.severity === 'error') || checks.some((c) => c.status === 'error')) return EXIT_USAGE;
  return checks.some((c) => c.status === 'failed') ? EXIT_CONDITION : EXIT_OK;
}
