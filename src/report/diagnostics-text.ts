import type { Diagnostic } from '../model/diagnostic.js';
import { escapeText } from './escape-text.js';
import type { Style } from './style.js';

/** Where a diagnostic is, as `file:line:column` (1-based), as much of it as is known; `undefined` without a file. */
export function locationText(d: Diagnostic): string | undefined {
  if (!d.file) return undefined;
  return `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}`;
}

/**
 * The message without the diagnostic's own location, which messages repeat for readers of the JSON
 * (`Object (file:line:col): ...`, `file:line:col: ...`, `file: byte n: ...`): text layouts print it once.
 */
export function messageWithoutLocation(d: Diagnostic): string {
  let message = d.message;
  if (d.file) {
    const own = [locationText(d) as string, ...(d.line ? [`${d.file}:${d.line}`] : [])];
    for (const at of own) {
      if (message.startsWith(`${at}: `)) message = message.slice(at.length + 2);
      message = message.replace(` (${at}): `, ': ');
    }
  }
  return message.replace(/^[^\s:]+:\d+(:\d+)?: /, '').replace(/^[^\s:]+: byte \d+: /, '');
}

/** One line per diagnostic: `file:line:col: severity code: message`, the location printed once, escaped (escape-text.ts). */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], style: Style): string[] {
  return diagnostics.map((d) => {
    const at = locationText(d);
    const where = at ? `${escapeText(at)}${d.offset !== undefined ? ` (byte ${d.offset})` : ''}: ` : '';
    const sev = d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : style.dim('info');
    return `${where}${sev} ${style.dim(escapeText(d.code))}: ${escapeText(messageWithoutLocation(d))}`;
  });
}
