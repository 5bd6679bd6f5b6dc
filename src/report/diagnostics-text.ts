import type { Diagnostic } from '../model/diagnostic.js';
import type { Style } from './style.js';

/** One line per diagnostic: `file:line:col: severity code: message`. */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], style: Style): string[] {
  return diagnostics.map((d) => {
    const where = d.file
      ? `${d.file}${d.line ? `:${d.line}` : ''}${d.column ? `:${d.column}` : ''}${d.offset !== undefined ? ` (byte ${d.offset})` : ''}: `
      : '';
    const sev = d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : style.dim('info');
    // Messages may repeat the location at their start; print it once.
    const message = d.message.replace(/^[^\s:]+:\d+(:\d+)?: /, '').replace(/^[^\s:]+: byte \d+: /, '');
    return `${where}${sev} ${style.dim(d.code)}: ${message}`;
  });
}
