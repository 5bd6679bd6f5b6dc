import type { FlowResult } from '../model/result.js';
import type { PhaseCheck } from '../model/scenario-check.js';
import type { PhaseSummary } from '../model/timeline.js';
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
