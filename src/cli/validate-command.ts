import { isAbsolute, relative } from 'node:path';
import { validateManifests, LINT_RULES, renderValidationSarif, renderValidationText } from '../index.js';
import type { Command } from 'commander';
import { LINT_CODES, type Diagnostic } from '../model/diagnostic.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE, UsageError } from './exit.js';
import { addManifestOptions, loadManifestPaths, manifestPaths, type ManifestOptions } from './manifest-option.js';
import { hasUnreadableInput, outputFormat, terminalStyle } from './options.js';
import { packageVersion } from './version.js';

interface ValidateOptions extends ManifestOptions {
  output?: string;
  failureThreshold?: string;
}

/**
 * `validate`: what istiod's admission webhook would reject, what the loader could not read, what the
 * resolver finds missing, and lints: accepted configurations that do not do what they appear to do.
 */
export function registerValidate(program: Command): void {
  const width = Math.max(...LINT_CODES.map((c) => c.length));
  const command = program
    .command('validate')
    .description('check manifests as istiod would admit them, then lint what it accepts: rejected objects, warnings, missing references, ambient pitfalls');
  addManifestOptions(command, { required: true, description: 'manifest files or directories' })
    .option('-o, --output <format>', 'output format: text, json, sarif', 'text')
    .option('--failure-threshold <severity>', 'exit 1 when a diagnostic of this severity or worse exists: error, warning, info (any case, as istioctl analyze takes Error, Warning, Info)', 'error')
    .addHelpText('after', [
      '', 'Lint codes (warnings unless noted):',
      ...LINT_CODES.map((c) => `  ${c.padEnd(width)}  ${LINT_RULES[c].summary}${c === 'waypoint-bypassable' ? ' (note)' : ''}`),
      '', 'Exit codes: 0 nothing at or above the threshold; 1 a diagnostic at or above it; 2 unreadable input or a usage error.',
    ].join('\n'))
    .action(async (opts: ValidateOptions) => {
      process.exitCode = await runValidate(opts);
    });
}

async function runValidate(opts: ValidateOptions): Promise<number> {
  const format = outputFormat(opts.output, ['text', 'json', 'sarif'] as const, 'text');
  const threshold = failureThreshold(opts.failureThreshold);
  const loaded = await loadManifestPaths(manifestPaths(opts.filename));
  const result = validateManifests(loaded.cluster);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...result.diagnostics];
  if (format === 'json') {
    const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, diagnostics, summary: { errors: count('error'), warnings: count('warning'), notes: count('info'), objects: loaded.stats.objects, skipped: loaded.stats.skipped } }, null, 2)}\n`);
  } else if (format === 'sarif') {
    // Code scanning resolves locations against the checkout: paths relative to the working directory.
    const relativeFiles = diagnostics.map((d) => (d.file && isAbsolute(d.file) ? { ...d, file: relative(process.cwd(), d.file) } : d));
    process.stdout.write(renderValidationSarif(relativeFiles, { version: packageVersion() }));
  } else {
    process.stdout.write(renderValidationText(diagnostics, terminalStyle(process.stdout)));
  }
  if (hasUnreadableInput(diagnostics)) return EXIT_USAGE;
  const failing = diagnostics.some((d) => SEVERITY_RANK[d.severity] >= SEVERITY_RANK[threshold]);
  return failing ? EXIT_CONDITION : EXIT_OK;
}

const SEVERITY_RANK: Readonly<Record<Diagnostic['severity'], number>> = { info: 0, warning: 1, error: 2 };

/**
 * `--failure-threshold`, in any case: istioctl analyze takes `Info`, `Warning` and `Error`
 * (https://istio.io/latest/docs/reference/commands/istioctl/#istioctl-analyze); `info` is a note here.
 */
function failureThreshold(value: string | undefined): Diagnostic['severity'] {
  const v = (value ?? 'error').toLowerCase();
  if (v === 'error' || v === 'warning' || v === 'info') return v;
  throw new UsageError(`--failure-threshold takes error, warning or info, got "${value}"`);
}
