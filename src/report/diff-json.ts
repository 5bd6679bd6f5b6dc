import type { ResultDiff } from '../model/diff.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { DiffContext } from './diff-groups.js';

/**
 * `diff -o json`: the counts, every changed flow with its kinds of change and both full results,
 * added and removed results, the what-if changes and diagnostics.
 */
export function renderDiffJson(diff: ResultDiff, context: DiffContext & { diagnostics?: readonly Diagnostic[] } = {}): string {
  return `${JSON.stringify({
    schemaVersion: 1,
    summary: diff.counts,
    changed: diff.changed.map((c) => ({ id: c.id, changes: c.kinds, before: c.before, after: c.after })),
    added: diff.added,
    removed: diff.removed,
    whatIf: context.notes ?? [],
    diagnostics: context.diagnostics ?? [],
  }, null, 2)}\n`;
}
