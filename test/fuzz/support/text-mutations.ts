import fc from 'fast-check';
import { expect } from 'vitest';
import type { Diagnostic } from '../../../src/model/diagnostic.js';
import { controlCharacter } from './hostile-values.js';

/**
 * Mutations of a file's text that keep every document and list item where it was (the accounting
 * stays exact): a byte order mark, CRLF line ends, a mapping key written twice.
 */
export type KeepingMutation = { readonly op: 'bom' } | { readonly op: 'crlf' } | { readonly op: 'duplicate-key'; readonly at: number };

export const keepingMutation: fc.Arbitrary<KeepingMutation> = fc.oneof(
  fc.constant({ op: 'bom' as const }),
  fc.constant({ op: 'crlf' as const }),
  fc.record({ op: fc.constant('duplicate-key' as const), at: fc.nat() }),
);

/** A key line whose value is on the line (YAML `key: value`, JSON `"key": value,`): written twice, the file still holds the same items. */
const KEY_LINE = /^\s*(?:[A-Za-z_][\w./-]*: \S.*|"[^"\\]+": [^{}[\]]*,)$/;

export function applyKeeping(text: string, mutations: readonly KeepingMutation[]): string {
  let out = text;
  for (const m of mutations) {
    if (m.op === 'bom') out = out.startsWith('\ufeff') ? out : `\ufeff${out}`;
    else if (m.op === 'crlf') out = out.replace(/\r?\n/g, '\r\n');
    else {
      const lines = out.split('\n');
      const keys = lines.map((l, i) => (KEY_LINE.test(l.replace(/\r$/, '')) ? i : -1)).filter((i) => i >= 0);
      if (keys.length === 0) continue;
      const i = keys[m.at % keys.length] as number;
      lines.splice(i, 0, lines[i] as string);
      out = lines.join('\n');
    }
  }
  return out;
}

/** Mutations that break a file anywhere: a cut at any offset, a control character or junk put in, a byte flipped. */
export type BreakingMutation =
  | { readonly op: 'cut'; readonly at: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string }
  | { readonly op: 'flip'; readonly at: number; readonly bits: number };

export const breakingMutation: fc.Arbitrary<BreakingMutation> = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(controlCharacter, fc.constantFrom('\n---\n', '"', '[', '{', '&a ', '*a', ': :', '\t', '%YAML 1.1\n', '\n- ', '\ud800', '{[k]: v}')) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 127 }) }),
);

export function applyBreaking(text: string, mutations: readonly BreakingMutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.op === 'cut') out = out.slice(0, at);
    else if (m.op === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else if (at < out.length) out = out.slice(0, at) + String.fromCharCode(out.charCodeAt(at) ^ m.bits) + out.slice(at + 1);
  }
  return out;
}

/** Lines of a text as an editor counts them (a last line without a newline counts). */
export function lineCount(text: string): number {
  return text.split('\n').length;
}

/**
 * Every error and warning that names a file names one of `files` and a line inside it; every error
 * names a file. `files` maps each file to its number of lines.
 */
export function expectLocated(diagnostics: readonly Diagnostic[], files: ReadonlyMap<string, number>): void {
  for (const d of diagnostics) {
    expect(d.message, d.code).not.toBe('');
    if (d.severity === 'info' && d.file === undefined) continue;
    const lines = files.get(d.file ?? '');
    expect(lines, `${d.code} names a file given: ${d.message}`).toBeDefined();
    expect(Number.isInteger(d.line), `${d.code} names a line: ${d.message}`).toBe(true);
    expect(d.line as number, `${d.code} names a line of the file: ${d.message}`).toBeGreaterThanOrEqual(1);
    expect(d.line as number, `${d.code} names a line of the file: ${d.message}`).toBeLessThanOrEqual(lines as number);
  }
}
