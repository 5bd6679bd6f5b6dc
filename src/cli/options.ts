import type { Diagnostic } from '../model/diagnostic.js';
import { escapeText, makeStyle, type Style } from '../index.js';
import { UsageError } from './exit.js';

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses repeated `KEY=VALUE` options into a record. */
export function parseKeyValues(values: readonly string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UsageError(`${option} takes KEY=VALUE, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

/** Checks an `-o` value against the formats a command supports. */
export function outputFormat<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = value ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`-o must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/** Colour on a TTY only, and never when NO_COLOR is set (https://no-color.org). */
export function terminalStyle(stream: NodeJS.WriteStream): Style {
  return makeStyle(stream.isTTY === true && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb');
}

/**
 * Input errors that make a run's answer incomplete (exit 2, DESIGN.md): a file that could not be read or
 * parsed, a flows file entry dropped as invalid, a flows file with no flow at all.
 */
const UNREADABLE_CODES = new Set(['unreadable-input', 'input-too-large', 'yaml-syntax', 'json-syntax', 'invalid-flow', 'invalid-flows-file', 'no-flows']);

/** True when some input could not be read whole: the run's answer is incomplete (exit 2). */
export function hasUnreadableInput(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some(isUnreadable);
}

function isUnreadable(d: Diagnostic): boolean {
  return d.severity === 'error' && UNREADABLE_CODES.has(d.code);
}

/**
 * Says on stderr why the run exits 2: each unreadable input or dropped entry with its file:line (the
 * text report already lists them on stdout), then that `--fail-on` was not decided on what was left.
 */
export function reportUnreadableInput(diagnostics: readonly Diagnostic[], listedOnStdout: boolean, flowsFile?: { entries: number; dropped: number }): void {
  const lines: string[] = [];
  if (!listedOnStdout) for (const d of diagnostics) if (isUnreadable(d)) lines.push(`ambient-bench: ${escapeText(d.message)}`);
  if (flowsFile && flowsFile.dropped > 0) lines.push(`ambient-bench: ${flowsFile.dropped} of ${flowsFile.entries} flows file entries were dropped as invalid`);
  lines.push('ambient-bench: some input could not be read whole (exit 2); --fail-on was not decided on what was left');
  process.stderr.write(`${lines.join('\n')}\n`);
}
