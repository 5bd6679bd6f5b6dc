import { describe, expect, it } from 'vitest';
import type { FlowResult } from '../../src/model/result.js';
import { resultJson } from '../../src/report/result-json.js';
import { makeStyle } from '../../src/report/style.js';

const PLAIN = makeStyle(false);
import { renderResult } from '../../src/report/text.js';
import { renderPhasesText } from '../../src/report/timeline-text.js';

const base: FlowResult = {
  id: 'long', source: 'orders/checkout', destination: 'payments/api:80', verdict: 'allow', encrypted: true,
  decidedBy: { component: 'destination-ztunnel', name: 'node-2' }, policy: null, rule: null, reason: 'no-allow-policies', hops: [], steps: [],
};

describe('timeline fields of a result in the reports', () => {
  it('writes time, phase, closedAt and closedReason in -o jsonl as JSON.stringify does, after the contract\'s fields', () => {
    const timed: FlowResult = { ...base, time: 1.5, phase: '2: tighten', closedAt: 50, closedReason: 'closed-by-policy-update' };
    expect(resultJson(timed)).toBe(JSON.stringify(timed));
    expect(resultJson({ ...base, time: 0 })).toBe(JSON.stringify({ ...base, time: 0 }));
    expect(resultJson(base)).toBe(JSON.stringify(base));
  });

  it('shows when a flow opened, its phase and why it was closed in -o text, escaping the phase name', () => {
    const lines = renderResult({ ...base, time: 1.5, phase: 'evil\u001b[31m', closedAt: 50, closedReason: 'closed-by-policy-update' }, PLAIN);
    expect(lines[1]).toBe('      at 1.5 s, phase "evil\\x1b[31m"; closed at 50 s (closed-by-policy-update): the destination ztunnel no longer allows it after a policy update');
    expect(renderResult(base, PLAIN).some((l) => l.includes(' at '))).toBe(false);
  });

  it('lists each phase with its interval and counts', () => {
    expect(renderPhasesText([
      { name: 'one', start: 0, end: 10, flows: 2, allowed: 2, denied: 0, unencrypted: 0, closed: 0 },
      { name: 'two', start: 10, end: null, flows: 3, allowed: 1, denied: 2, unencrypted: 1, closed: 1 },
    ], PLAIN)).toEqual(['Phases', '  one (0 s - 10 s): 2 flows, 2 allowed, 0 denied, 0 unencrypted', '  two (10 s - end): 3 flows, 1 allowed, 2 denied, 1 unencrypted, 1 closed']);
    expect(renderPhasesText([], PLAIN)).toEqual([]);
  });
});
