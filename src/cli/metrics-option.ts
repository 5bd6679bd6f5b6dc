import { writeFile } from 'node:fs/promises';
import { UsageError } from './exit.js';

/** `simulate --metrics FILE [--metrics-window S] [--metrics-start T]`. */
export interface MetricsOptions {
  metrics?: string;
  metricsWindow?: string;
  metricsStart?: string;
}

/** The recorder's sampling, or undefined without `--metrics`; bad values are usage errors. */
export function metricsRecorder(opts: MetricsOptions, now: () => number = Date.now): { window: number; start: number } | undefined {
  if (opts.metrics === undefined) {
    if (opts.metricsStart !== undefined) throw new UsageError('--metrics-start goes with --metrics');
    return undefined;
  }
  const window = Number(opts.metricsWindow ?? '15');
  if (!Number.isFinite(window) || window < 1 || window > 3600) throw new UsageError(`--metrics-window takes seconds from 1 to 3600, got "${opts.metricsWindow}"`);
  return { window, start: parseStart(opts.metricsStart, now) };
}

/** RFC 3339 (`2026-12-06T10:00:00Z`) or seconds since the epoch; default: now, in whole seconds. */
function parseStart(value: string | undefined, now: () => number): number {
  if (value === undefined) return Math.floor(now() / 1000);
  if (/^[0-9]+(\.[0-9]+)?$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--metrics-start takes RFC 3339 (2026-12-06T10:00:00Z) or seconds since the epoch, got "${value}"`);
  return ms / 1000;
}

/** Writes the metrics file; a path that cannot be written is a usage error naming it. */
export async function writeMetrics(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (e) {
    throw new UsageError(`--metrics: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
