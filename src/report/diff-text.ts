import type { ResultDiff } from '../model/diff.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { changeLine, decider, policyText } from './check-describe.js';
import { renderDiagnosticsText } from './diagnostics-text.js';
import { escapeText } from './escape-text.js';
import { decisionText, GROUP_TITLES, groupChanges, outcomeText, type DiffContext } from './diff-groups.js';
import type { Style } from './style.js';

/** Changed flows listed per group before the rest are summarized by id. */
const LISTED_PER_GROUP = 50;

/**
 * `diff -o text` (every value from the input escaped, escape-text.ts): the what-if changes (if any), then changed flows grouped by kind of change, each with
 * before and after outcome and the deciding step after; then added and removed flows and the counts.
 */
export function renderDiffText(diff: ResultDiff, style: Style, context: DiffContext & { diagnostics?: readonly Diagnostic[] } = {}): string {
  const out: string[] = [];
  if (context.notes && context.notes.length > 0) out.push(style.bold('What-if'), ...context.notes.map((n) => `  ${escapeText(n)}`), '');
  for (const group of groupChanges(diff)) {
    out.push(style.bold(`${GROUP_TITLES[group.kind]} (${group.changes.length})`));
    for (const c of group.changes.slice(0, LISTED_PER_GROUP)) {
      const mark = c.after.verdict === 'deny' ? style.red(outcomeText(c.after)) : style.green(outcomeText(c.after));
      out.push(`  ${mark} ${style.bold(escapeText(c.id))}  ${escapeText(`${c.after.source} -> ${c.after.destination}`)}  ${style.dim(escapeText(`(${changeLine(c.before, c.after)})`))}`);
      out.push(`      before: ${outcomeText(c.before)} by ${escapeText(`${decider(c.before)}, policy ${policyText(c.before)}: ${decisionText(c.before)}`)}`);
      out.push(`      after:  ${outcomeText(c.after)} by ${escapeText(`${decider(c.after)}, policy ${policyText(c.after)}: ${decisionText(c.after)}`)}`);
    }
    if (group.changes.length > LISTED_PER_GROUP) {
      out.push(style.dim(`  ... and ${group.changes.length - LISTED_PER_GROUP} more (use -o json for all)`));
    }
    out.push('');
  }
  if (diff.added.length > 0) out.push(style.bold(`only after (${diff.added.length})`), `  ${idList(diff.added)}`, '');
  if (diff.removed.length > 0) out.push(style.bold(`only before (${diff.removed.length})`), `  ${idList(diff.removed)}`, '');
  if (context.diagnostics && context.diagnostics.length > 0) {
    out.push(style.bold('Diagnostics'), ...renderDiagnosticsText(context.diagnostics, style).map((l) => `  ${l}`), '');
  }
  const c = diff.counts;
  out.push(`${style.bold('Diff')}: ${c.changed + c.unchanged} flows compared, ${c.changed > 0 ? style.yellow(`${c.changed} changed`) : '0 changed'} ` +
    `(${c.allowedToDenied} allowed→denied, ${c.deniedToAllowed} denied→allowed, ${c.encryptedToPlaintext} encrypted→plaintext, ${c.plaintextToEncrypted} plaintext→encrypted, ` +
    `${c.decisionMoved} moved, ${c.policyChanged} policy changed), ${c.unchanged} unchanged, ${c.added} added, ${c.removed} removed`);
  return `${out.join('\n')}\n`;
}

function idList(results: readonly { id: string }[]): string {
  const ids = results.slice(0, 50).map((r) => escapeText(r.id)).join(', ');
  return results.length > 50 ? `${ids}, ...` : ids;
}
