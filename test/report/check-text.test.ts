import { describe, expect, it } from 'vitest';
import { renderCheckJson } from '../../src/report/check-json.js';
import { renderCheckText } from '../../src/report/check-text.js';
import { makeStyle } from '../../src/report/style.js';
import { FAILING, PASSING, UNREADABLE } from './check-fixtures.js';

describe('check reports', () => {
  const text = renderCheckText([PASSING, FAILING, UNREADABLE], makeStyle(false));

  it('text marks each scenario and expectation and ends with the totals', () => {
    expect(text).toContain('PASS Checkout keeps paying');
    expect(text).toContain('FAIL Mesh goes STRICT');
    expect(text).toContain('ERROR scenarios/broken/scenario.yaml');
    expect(text).toContain("✗ the what-if changes no flow's verdict or encryption (scenarios/payments/scenario.yaml:15)");
    expect(text).toContain('✓ no plaintext into namespace payments — held over 2 flows');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Scenarios: 3 checked, 1 passed, 1 failed, 1 unreadable; expectations: 3/4 held');
  });

  it('text shows a failure with its counterexample and the explanation steps', () => {
    expect(text).toContain('legacy-batch changed: allow -> deny, mTLS -> plaintext');
    expect(text).toContain('deny  destination-ztunnel node-1: denied: plaintext is refused under STRICT mTLS');
  });

  it('json carries status, every expectation and the failure evidence', () => {
    const json = JSON.parse(renderCheckJson([PASSING, FAILING, UNREADABLE]));
    expect(json.summary).toEqual({ scenarios: 3, passed: 1, failed: 1, errors: 1 });
    expect(json.scenarios[1].expectations.map((e: { passed: boolean }) => e.passed)).toEqual([true, false, true]);
    expect(json.scenarios[1].expectations[1].failure.changes[0].after.id).toBe('legacy-batch');
    expect(json.scenarios[1].changes).toMatchObject({ allowedToDenied: 1, encryptedToPlaintext: 1 });
  });
});
