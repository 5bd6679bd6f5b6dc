import type { Diagnostic } from '../model/diagnostic.js';
import { appendLines, maxLength } from './append-lines.js';
import { locationText, messageWithoutLocation } from './diagnostics-text.js';
import { escapeText } from './escape-text.js';
import type { Style } from './style.js';

const NO_FILE = '(no file)';

/** Diagnostics by file, files in name order, each file's diagnostics by line and column. */
export function groupByFile(diagnostics: readonly Diagnostic[]): [string, Diagnostic[]][] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const file = d.file ?? NO_FILE;
    const list = byFile.get(file);
    if (list) list.push(d);
    else byFile.set(file, [d]);
  }
  for (const list of byFile.values()) list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return [...byFile].sort(([a], [b]) => (a === NO_FILE ? 1 : b === NO_FILE ? -1 : a < b ? -1 : a > b ? 1 : 0));
}

/** The message without the `Object (file:line:col): ` prefix, which the layout already shows. */
export function bareMessage(d: Diagnostic): string {
  const message = messageWithoutLocation(d).replace(/^.*?\([^()]*:\d+(:\d+)?\): /, '');
  return d.object && !message.startsWith(d.object) ? `${d.object}: ${message}` : message;
}

const SEVERITY_WORD = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * `validate -o text`, in the manner of eslint's stylish format: a heading per file, then one line per
 * diagnostic as `file:line:col  severity  code  message` with aligned columns (values from the input
 * escaped, escape-text.ts), then the counts.
 */
export function renderValidationText(diagnostics: readonly Diagnostic[], style: Style): string {
  const out: string[] = [];
  for (const [file, list] of groupByFile(diagnostics)) {
    out.push(style.bold(escapeText(file)));
    const rows = list.map((d) => ({ d, at: escapeText(locationText(d) ?? '-'), sev: SEVERITY_WORD[d.severity] }));
    const atWidth = maxLength(rows.map((r) => r.at));
    const sevWidth = maxLength(rows.map((r) => r.sev));
    const codeWidth = maxLength(rows.map((r) => r.d.code));
    for (const { d, at, sev } of rows) {
      const paint = d.severity === 'error' ? style.red : d.severity === 'warning' ? style.yellow : style.dim;
      out.push(`  ${style.dim(at.padEnd(atWidth))}  ${paint(sev.padEnd(sevWidth))}  ${d.code.padEnd(codeWidth)}  ${escapeText(bareMessage(d))}`);
    }
    out.push('');
  }
  const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  const [errors, warnings, notes] = [count('error'), count('warning'), count('info')];
  const summary = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${notes} note${notes === 1 ? '' : 's'}`;
  out.push(errors > 0 ? style.red(summary) : warnings > 0 ? style.yellow(summary) : summary);
  return `${out.join('\n')}\n`;
}
