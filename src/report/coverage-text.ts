import type { PolicyCoverage } from '../model/coverage.js';
import { escapeText } from './escape-text.js';
import type { Style } from './style.js';

const SHOWN = 20;

/** `--coverage` as text: rules hit, rules no flow hit, rules istiod dropped, and flows allowed without any ALLOW policy. */
export function renderCoverageText(coverage: PolicyCoverage, style: Style): string {
  const lines = [style.bold('Policy coverage'), `  ${coverage.hit} of ${coverage.rules} enforced rules decided at least one flow`];
  if (coverage.unhit.length > 0) {
    lines.push(`  rules no flow hit (${coverage.unhit.length}):`);
    for (const r of coverage.unhit) lines.push(`    ${r.action.padEnd(5)} ${escapeText(r.policy)} rule ${r.rule} ${style.dim(`(${r.enforcedBy})`)}`);
  }
  if (coverage.dropped.length > 0) {
    lines.push(`  rules istiod drops or empties for ztunnel (HTTP attributes), never hit there (${coverage.dropped.length}):`);
    for (const r of coverage.dropped) lines.push(`    ${r.action.padEnd(5)} ${escapeText(r.policy)} rule ${r.rule}`);
  }
  const open = coverage.allowedWithoutPolicy;
  if (open.length > 0) {
    const byReason = new Map<string, number>();
    for (const f of open) byReason.set(f.reason, (byReason.get(f.reason) ?? 0) + 1);
    lines.push(`  flows allowed with no ALLOW policy matching anywhere (${open.length}: ${[...byReason].map(([r, n]) => `${n} ${r}`).join(', ')}):`);
    for (const f of open.slice(0, SHOWN)) lines.push(`    ${escapeText(f.id)} ${style.dim(`(${f.reason})`)}`);
    if (open.length > SHOWN) lines.push(`    ... and ${open.length - SHOWN} more`);
  }
  return `${lines.join('\n')}\n`;
}
