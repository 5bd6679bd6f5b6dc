import { describe, expect, it } from 'vitest';
import { diffResults } from '../../src/analysis/diff/diff-results.js';
import { renderDiffMarkdown } from '../../src/report/markdown.js';
import { result } from '../analysis/expect/result-fixtures.js';
import { DIFF } from './diff-fixtures.js';

describe('renderDiffMarkdown() writes a pull-request comment', () => {
  it('matches the golden comment for a diff with every kind of change', async () => {
    const md = renderDiffMarkdown(DIFF, {
      notes: ['added waypoint Gateway payments/waypoint for service traffic, ready at 10.96.1.2', 'labelled Namespace payments istio.io/use-waypoint=waypoint'],
      diagnostics: [{ severity: 'error', code: 'unknown-condition-key', file: 'policies.yaml', line: 12, message: 'policies.yaml:12: AuthorizationPolicy payments/x: unknown condition key "custom.time_of_day"' }],
    });
    await expect(md).toMatchFileSnapshot('golden/diff.md');
  });

  it('says so when nothing changes', () => {
    const md = renderDiffMarkdown(diffResults([result('a')], [result('a')]));
    expect(md.split('\n')[0]).toBe('### ambient-bench: no flow changes (1 compared)');
    expect(md).not.toContain('```mermaid');
  });

  it('embeds the mermaid chart of the edges whose flows changed verdict or encryption, and of no other edge', () => {
    const md = renderDiffMarkdown(DIFF);
    const chart = md.slice(md.indexOf('```mermaid\n') + 11, md.indexOf('\n```\n', md.indexOf('```mermaid')));
    expect(chart.split('\n')[1]).toBe('flowchart LR');
    const changedFlows = DIFF.counts.allowedToDenied + DIFF.counts.deniedToAllowed + DIFF.counts.encryptedToPlaintext + DIFF.counts.plaintextToEncrypted;
    expect(chart.match(/ ==>\|/g)).toHaveLength(changedFlows);
    expect(chart).not.toMatch(/ -\.->\|/);
  });

  it('keeps table cells intact when ids contain pipes', () => {
    const md = renderDiffMarkdown(DIFF);
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(9);
  });
});
