import type { ResultDiff } from '../model/diff.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { decider, policyText } from './check-describe.js';
import { decisionText, GROUP_TITLES, groupChanges, outcomeText, type DiffContext } from './diff-groups.js';
import { markdownCode, markdownText } from './escape-markdown.js';
import { diffGraph } from './graph/diff-graph.js';
import { renderDiffGraphMermaid } from './graph/graph-mermaid.js';
import type { GraphDirectory } from './graph/graph-directory.js';

/** Rows per group in a pull-request comment; the rest are counted. */
const ROWS_PER_GROUP = 100;

/**
 * `diff -o markdown`: a pull-request comment. A headline, a table of counts, then one collapsible
 * table per kind of change with before, after and the deciding step after the change. Values from
 * the input are escaped (escape-markdown.ts): a name cannot end a cell, start a link or hide a control.
 * When flows changed verdict or encryption, a mermaid chart of those edges follows the counts (GitHub
 * draws it); `directory` names the workloads and Services in it as the mesh does.
 */
export function renderDiffMarkdown(diff: ResultDiff, context: DiffContext & { diagnostics?: readonly Diagnostic[]; directory?: GraphDirectory } = {}): string {
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
    out.push('', '<details><summary>What-if steps</summary>', '', ...context.notes.map((n) => `- ${markdownText(n)}`), '', '</details>');
  }
  out.push(...changedEdgesChart(diff, context.directory));
  for (const group of groupChanges(diff)) {
    out.push('', `<details${group.kind === 'allowed-to-denied' || group.kind === 'encrypted-to-plaintext' ? ' open' : ''}><summary><b>${GROUP_TITLES[group.kind]}</b> (${group.changes.length})</summary>`, '');
    out.push('| flow | source | destination | before | after | decided after by | why |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const ch of group.changes.slice(0, ROWS_PER_GROUP)) {
      out.push(`| ${markdownCode(ch.id)} | ${markdownCode(ch.after.source)} | ${markdownCode(ch.after.destination)} | ${outcomeText(ch.before)} | **${outcomeText(ch.after)}** | ${markdownText(decider(ch.after))}, policy ${markdownCode(policyText(ch.after))} | ${markdownText(decisionText(ch.after))} |`);
    }
    if (group.changes.length > ROWS_PER_GROUP) out.push('', `…and ${group.changes.length - ROWS_PER_GROUP} more.`);
    out.push('', '</details>');
  }
  for (const [title, results] of [['only after', diff.added], ['only before', diff.removed]] as const) {
    if (results.length === 0) continue;
    const ids = results.slice(0, ROWS_PER_GROUP).map((r) => markdownCode(r.id)).join(', ');
    out.push('', `<details><summary><b>${title}</b> (${results.length})</summary>`, '', `${ids}${results.length > ROWS_PER_GROUP ? ', …' : ''}`, '', '</details>');
  }
  const errors = (context.diagnostics ?? []).filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    out.push('', `<details><summary>Rejected or unreadable inputs (${errors.length})</summary>`, '', ...errors.map((d) => `- ${markdownText(d.message)}`), '', '</details>');
  }
  return `${out.join('\n')}\n`;
}

/** The mermaid chart of the edges whose flows changed verdict or encryption, in an open section; none when no edge did. */
function changedEdgesChart(diff: ResultDiff, directory: GraphDirectory | undefined): string[] {
  const graph = diffGraph(diff, directory);
  const changed = graph.edges.filter((e) => e.change === 'changed').length;
  if (changed === 0) return [];
  return ['', `<details open><summary><b>Edges whose flows changed verdict or encryption</b> (${changed})</summary>`, '', '```mermaid', renderDiffGraphMermaid(graph, { onlyChanged: true }).trimEnd(), '```', '', '</details>'];
}
