import type { Diagnostic } from '../model/diagnostic.js';
import { makeStyle, type Style } from '../report/style.js';
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

/** Input diagnostics that mean a file could not be read or parsed at all. */
export function hasUnreadableInput(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error' && (d.code === 'unreadable-input' || d.code === 'input-too-large' || d.code === 'yaml-syntax' || d.code === 'json-syntax'));
}
