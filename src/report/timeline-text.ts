import type { FlowResult } from '../model/result.js';
import type { PhaseCheck } from '../model/scenario-check.js';
import { LOAD_WINDOW_SECONDS, type ComponentLoad, type PhaseSummary } from '../model/timeline.js';
import { escapeText } from './escape-text.js';
import type { Style } from './style.js';

const CLOSED: Record<NonNullable<FlowResult['closedReason']>, string> = {
  'closed-by-policy-update': 'the destination ztunnel no longer allows it after a policy update',
  'waypoint-unavailable': 'its waypoint lost every ready endpoint',
  'ztunnel-restarting': 'a ztunnel on its path restarted',
};

/** A timeline result's when: `at 12 s, phase "2: waypoint"; closed at 50 s: ...` (not escaped). */
export function timelineLine(r: FlowResult): string {
  const phase = r.phase !== undefined ? `, phase "${r.phase}"` : '';
  const closed = r.closedAt !== undefined && r.closedReason !== undefined ? `; closed at ${r.closedAt} s (${r.closedReason}): ${CLOSED[r.closedReason]}` : '';
  return `      at ${r.time} s${phase}${closed}`;
}

/** `Phases` of a timeline run: each interval with its flow counts; every name is escaped. */
export function renderPhasesText(phases: readonly PhaseSummary[], style: Style): string[] {
  if (phases.length === 0) return [];
  const lines = [style.bold('Phases')];
  for (const p of phases) {
    const span = `${p.start} s - ${p.end === null ? 'end' : `${p.end} s`}`;
    const closed = p.closed > 0 ? `, ${style.yellow(`${p.closed} closed`)}` : '';
    lines.push(`  ${style.bold(escapeText(p.name))} (${span}): ${p.flows} flows, ${style.green(`${p.allowed} allowed`)}, ${p.denied > 0 ? style.red(`${p.denied} denied`) : '0 denied'}, ${p.unencrypted} unencrypted${closed}`);
  }
  return lines;
}

/**
 * Each component's load over the timeline (`simulate --timeline -o text`): per window with activity,
 * connections, requests, denials and the most connections open at once; the busiest windows first
 * when a component has more than `most`.
 */
export function renderLoadText(load: readonly ComponentLoad[], style: Style, most = 12): string[] {
  if (load.length === 0) return [];
  const lines = [style.bold(`Load over time (windows of ${LOAD_WINDOW_SECONDS} s)`)];
  for (const c of load) {
    const shown = c.windows.length <= most ? c.windows : [...c.windows].sort((a, b) => b.connections - a.connections || a.start - b.start).slice(0, most).sort((a, b) => a.start - b.start);
    const more = c.windows.length - shown.length;
    lines.push(`  ${c.kind} ${escapeText(c.component)}${more > 0 ? style.dim(` (the ${most} busiest of ${c.windows.length} windows)`) : ''}`);
    for (const w of shown) {
      const denials = w.denials > 0 ? style.red(`${w.denials} denied`) : '0 denied';
      const requests = c.kind === 'waypoint' ? `, ${counted(w.requests, 'request')}` : '';
      lines.push(`    ${String(w.start).padStart(8)} s  ${counted(w.connections, 'connection')}${requests}, ${denials}, at most ${w.peakOpen} open`);
    }
  }
  return lines;
}

function counted(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** A checked timeline's phases: each one's counts and what its start changes over the whole traffic. */
export function phaseCheckLines(phases: readonly PhaseCheck[], style: Style): string[] {
  if (phases.length === 0) return [];
  const lines = [style.dim('phases:')];
  for (const { phase, changes: c } of phases) {
    const closed = phase.closed > 0 ? `, ${phase.closed} closed` : '';
    lines.push(`  ${style.bold(escapeText(phase.name))} ${style.dim(`(from ${phase.start} s)`)}: ${phase.flows} flows, ${phase.allowed} allowed, ${phase.denied} denied, ${phase.unencrypted} unencrypted${closed}`);
    lines.push(style.dim(`    its start changes ${c.allowedToDenied} allowed->denied, ${c.deniedToAllowed} denied->allowed, ${c.encryptedToPlaintext} encrypted->plaintext, ${c.plaintextToEncrypted} plaintext->encrypted`));
  }
  return lines;
}
