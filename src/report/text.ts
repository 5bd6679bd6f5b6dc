import type { FlowResult, Hop, SimulationReport } from '../model/result.js';
import { appendLines } from './append-lines.js';
import { renderRecordedTraffic } from './capture-text.js';
import { renderDiagnosticsText } from './diagnostics-text.js';
import { escapeText } from './escape-text.js';
import { nearMissText, stepText } from './reason-text.js';
import type { Style } from './style.js';
import { timelineLine } from './timeline-text.js';

/**
 * `-o text`: per flow the verdict and path on one line, then each fact and enforcement point with its
 * decision; then diagnostics, the summary and component counters.
 */
export function renderText(report: SimulationReport, style: Style): string {
  const out: string[] = [];
  for (const r of report.results) appendLines(out, renderResult(r, style)).push('');
  if (report.diagnostics.length > 0) {
    out.push(style.bold('Diagnostics'));
    appendLines(out, renderDiagnosticsText(report.diagnostics, style), '  ').push('');
  }
  if (report.capture) appendLines(out, renderRecordedTraffic(report.capture, style)).push('');
  const s = report.summary;
  out.push(`${style.bold('Summary')}: ${s.flows} flows, ${style.green(`${s.allowed} allowed`)}, ${s.denied > 0 ? style.red(`${s.denied} denied`) : '0 denied'}, ${s.unencrypted > 0 ? style.yellow(`${s.unencrypted} unencrypted`) : '0 unencrypted'}`);
  if (s.components && s.components.length > 0) {
    out.push(style.dim('  component                               connections  requests  denials  tunnels'));
    for (const c of s.components) {
      out.push(style.dim(`  ${escapeText(`${c.kind} ${c.component}`).padEnd(38)} ${String(c.connections).padStart(11)}  ${String(c.requests).padStart(8)}  ${String(c.denials).padStart(7)}  ${String(c.tunnelsOpened).padStart(7)}`));
    }
  }
  return `${out.join('\n')}\n`;
}

/** The lines for one flow result; every value from the input is escaped (escape-text.ts). */
export function renderResult(r: FlowResult, style: Style): string[] {
  const verdict = r.verdict === 'allow' ? style.green('ALLOW') : style.red('DENY ');
  const enc = r.encrypted ? style.green('mTLS') : style.yellow('PLAINTEXT');
  const by = r.decidedBy.component === 'none' ? 'no enforcement point' : `${r.decidedBy.component} ${r.decidedBy.name}`;
  const app = r.appTls ? `  ${style.dim(escapeText(`app-TLS${r.appTls.sni ? ` ${r.appTls.sni}` : ''}`))}` : '';
  const lines = [`${verdict} ${style.bold(escapeText(r.id))}  ${escapeText(`${r.source} -> ${r.destination}`)}  ${enc}${app}  ${style.dim(escapeText(`(${by}: ${r.reason})`))}`];
  if (r.time !== undefined) lines.push(style.dim(escapeText(timelineLine(r))));
  if (r.origin?.note) lines.push(style.dim(`      note: ${escapeText(r.origin.note)}`));
  if (r.hops.length > 0) lines.push(`      path: ${escapeText(pathLine(r.hops))}`);
  for (const step of r.steps) {
    const mark = step.effect === 'allow' ? style.green('allow') : step.effect === 'deny' ? style.red('deny ') : style.dim('info ');
    lines.push(`      ${mark} ${style.dim(escapeText(step.at))}: ${escapeText(stepText(step))}`);
    if (step.nearMiss) lines.push(`            ${style.dim(escapeText(nearMissText(step.nearMiss)))}`);
  }
  return lines;
}

function pathLine(hops: readonly Hop[]): string {
  const parts = [hops[0]?.from ?? ''];
  for (const h of hops) parts.push(`${h.transport === 'hbone' ? '=HBONE=>' : h.transport === 'mtls' ? '=mTLS=>' : '--plaintext-->'} ${h.to}`);
  return parts.join(' ');
}
