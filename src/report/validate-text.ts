import type { Diagnostic } from '../model/diagnostic.js';
import type { Style } from './style.js';

/** `validate -o text`: diagnostics grouped by file as `file:line:col: severity code: message`, then a count. */
export function renderValidationText(diagnostics: readonly Diagnostic[], style: Style): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byFile.set(d.file ?? '(no file)', [...(byFile.get(d.file ?? '(no file)') ?? []), d]);
  const out: string[] = [];
  for (const [file, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push(style.bold(file));
    for (const d of [...list].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))) {
      const sev = d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : style.dim('info');
      const message = d.message.replace(/^.*?\([^()]*:\d+(:\d+)?\): /, '').replace(/^[^\s:]+:\d+(:\d+)?: /, '');
      out.push(`  ${file}:${d.line ?? 0}:${d.column ?? 0}: ${sev} ${style.dim(d.code)}: ${d.object ? `${d.object}: ` : ''}${message}`);
    }
    out.push('');
  }
  const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  out.push(`${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes`);
  return `${out.join('\n')}\n`;
}
