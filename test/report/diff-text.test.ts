import { describe, expect, it } from 'vitest';
import { renderDiffJson } from '../../src/report/diff-json.js';
import { renderDiffText } from '../../src/report/diff-text.js';
import { makeStyle } from '../../src/report/style.js';
import { DIFF } from './diff-fixtures.js';

describe('diff reports', () => {
  it('text groups changed flows by their main change, with before and after', () => {
    const text = renderDiffText(DIFF, makeStyle(false), { notes: ['labelled Namespace payments istio.io/use-waypoint=waypoint'] });
    const headings = text.split('\n').filter((l) => /^\S.*\(\d+\)$/.test(l));
    expect(headings).toEqual([
      'allowed → denied (1)', 'denied → allowed (1)', 'encrypted → plaintext (1)', 'plaintext → encrypted (1)',
      'decision moved to another component (1)', 'only after (1)', 'only before (1)',
    ]);
    expect(text).toContain('      after:  DENY mTLS by destination-ztunnel node-2, policy none: denied: ALLOW policies apply here and none matched');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Diff: 6 flows compared, 5 changed (1 allowed→denied, 1 denied→allowed, 1 encrypted→plaintext, 1 plaintext→encrypted, 2 moved, 2 policy changed), 1 unchanged, 1 added, 1 removed');
  });

  it('json has the counts and both results of every changed flow', () => {
    const json = JSON.parse(renderDiffJson(DIFF));
    expect(json.summary.changed).toBe(5);
    expect(json.changed[0]).toMatchObject({ id: 'checkout-pays', changes: ['allowed-to-denied', 'decision-moved', 'policy-changed'], before: { verdict: 'allow' }, after: { verdict: 'deny' } });
    expect(json.added.map((r: { id: string }) => r.id)).toEqual(['new-flow | with pipe']);
  });
});
