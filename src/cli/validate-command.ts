import type { Command } from 'commander';
import { loadManifestFiles } from '../files.js';
import { resolveMesh } from '../core/resolve/resolve-mesh.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { renderValidationText } from '../report/validate-text.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { hasUnreadableInput, outputFormat, terminalStyle } from './options.js';

interface ValidateOptions {
  file: string[];
  output?: string;
  failureThreshold?: string;
}

/**
 * `validate`: what istiod's admission webhook would reject, what the loader could not read, and what the
 * resolver finds missing (a Service selecting nothing, a use-waypoint naming no Gateway).
 */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check manifests as istiod would admit them: rejected objects, warnings, missing references')
    .requiredOption('-f, --file <paths...>', 'manifest files or directories')
    .option('-o, --output <format>', 'output format: text, json', 'text')
    .option('--failure-threshold <severity>', 'exit 1 when a diagnostic of this severity or worse exists: error, warning', 'error')
    .action(async (opts: ValidateOptions) => {
      process.exitCode = await runValidate(opts);
    });
}

async function runValidate(opts: ValidateOptions): Promise<number> {
  const format = outputFormat(opts.output, ['text', 'json'] as const, 'text');
  const threshold = opts.failureThreshold ?? 'error';
  if (threshold !== 'error' && threshold !== 'warning') throw new UsageError(`--failure-threshold takes error or warning, got "${threshold}"`);
  const loaded = await loadManifestFiles(opts.file);
  const mesh = resolveMesh(loaded.cluster);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...mesh.diagnostics];
  if (format === 'json') {
    const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, diagnostics, summary: { errors: count('error'), warnings: count('warning'), notes: count('info'), objects: loaded.stats.objects, skipped: loaded.stats.skipped } }, null, 2)}\n`);
  } else {
    process.stdout.write(renderValidationText(diagnostics, terminalStyle(process.stdout)));
  }
  if (hasUnreadableInput(diagnostics)) return EXIT_USAGE;
  const failing = diagnostics.some((d) => d.severity === 'error' || (threshold === 'warning' && d.severity === 'warning'));
  return failing ? EXIT_CONDITION : EXIT_OK;
}
