import type { ResultDiff } from '../model/diff.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { decider, policyText } from './check-describe.js';
import { decisionText, GROUP_TITLES, groupChanges, outcomeText, type DiffContext } from './diff-groups.js';

/** Rows per group in a pull-request comment; the rest are counted. */
const ROWS_PER_GROUP = 100;

/**
 * `diff -o markdown`: a pull-request comment. A headline, a table of counts, then one collapsible
 * table per kind of change with before, after and the deciding step after the change.
 */
export function renderDiffMarkdown(diff: ResultDiff, context: DiffContext & { diagnostics?: readonly Diagnostic[] } = {}): string {
  const c = diff.counts;
  const out: string[] = [];
  const compared = c.changed + c.unchanged;
  out.push(c.changed === 0
    ? `### ambient-bench: no flow changes (${compared} compared)`
    : `### ambient-bench: ${c.changed} of ${compared} flows change`);
  out.push('');
  out.push('| change | flows |', '| --- | ---: |');
  const rows: [string, number][] = [
    ['allowed → denied', c.allowedToDenied], ['denied → allowed', c.deniedToAllowed],
    ['encrypted → plaintext', c.encryptedToPlaintext], ['plaintext → encrypted', c.plaintextToEncrypted],
    ['decision moved to another component', c.decisionMoved], ['deciding policy changed', c.policyChanged],
    ['only after', c.added], ['only before', c.removed], ['unchanged', c.unchanged],
  ];
  for (const [label, n] of rows) out.push(`| ${label} | ${n} |`);
  if (context.notes && context.notes.length > 0) {
    out.push('', '<details><summary>What-if steps</summary>', '', ...context.notes.map((n) => `- ${cell(n)}`), '', '</details>');
  }
  for (const group of groupChanges(diff)) {
    out.push('', `<details${group.kind === 'allowed-to-denied' || group.kind === 'encrypted-to-plaintext' ? ' open' : ''}><summary><b>${GROUP_TITLES[group.kind]}</b> (${group.changes.length})</summary>`, '');
    out.push('| flow | source | destination | before | after | decided after by | why |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const ch of group.changes.slice(0, ROWS_PER_GROUP)) {
      out.push(`| ${code(ch.id)} | ${code(ch.after.source)} | ${code(ch.after.destination)} | ${outcomeText(ch.before)} | **${outcomeText(ch.after)}** | ${cell(decider(ch.after))}, policy ${code(policyText(ch.after))} | ${cell(decisionText(ch.after))} |`);
    }
    if (group.changes.length > ROWS_PER_GROUP) out.push('', `…and ${group.changes.length - ROWS_PER_GROUP} more.`);
    out.push('', '</details>');
  }
  for (const [title, results] of [['only after', diff.added], ['only before', diff.removed]] as const) {
    if (results.length === 0) continue;
    const ids = results.slice(0, ROWS_PER_GROUP).map((r) => code(r.id)).join(', ');
    out.push('', `<details><summary><b>${title}</b> (${results.length})</summary>`, '', `${ids}${results.length > ROWS_PER_GROUP ? ', …' : ''}`, '', '</details>');
  }
  const errors = (context.diagnostics ?? []).filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    out.push('', `<details><summary>Rejected or unreadable inputs (${errors.length})</summary>`, '', ...errors.map((d) => `- ${cell(d.message)}`), '', '</details>');
  }
  return `${out.join('\n')}\n`;
}

/** Text safe inside a table cell: pipes escaped, newlines flattened, HTML-looking brackets escaped. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code in a table cell, with backticks and pipes neutralised. */
function code(s: string): string {
  return `\`${s.replace(/`/g, 'ʼ').replace(/\|/g, '\\|')}\``;
}
