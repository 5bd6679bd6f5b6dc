import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenarioFiles } from '../../src/files/scenarios.js';
import { renderCheckText } from '../../src/report/check-text.js';
import { makeStyle } from '../../src/report/style.js';

/**
 * Every bundled scenario runs through the code path of `ambient-bench check` and must pass: each is a
 * worked migration story whose expectations follow docs/ambient-semantics.md (sources cited in the
 * scenario files next to each expectation).
 */
const ROOT = resolve(__dirname, '../../scenarios');
const bundled = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'scenario.yaml'))).sort();

describe('the bundled scenarios hold', () => {
  it('finds all of them from the scenarios directory, as `check scenarios/` does', async () => {
    const { checks, diagnostics } = await checkScenarioFiles([ROOT]);
    expect(diagnostics).toEqual([]);
    expect(checks.map((c) => c.file)).toEqual(bundled.map((d) => join(ROOT, d, 'scenario.yaml')));
  });

  // Some share ../demo/cluster/: on its own, a scenario needs the scenarios directory as its root (`check --root scenarios/`).
  it.each(bundled)('%s passes', async (dir) => {
    const { checks } = await checkScenarioFiles([join(ROOT, dir)], { root: ROOT });
    const check = checks[0];
    const report = renderCheckText(checks, makeStyle(false));
    expect(check?.status, report).toBe('passed');
  });

  it('the capture of captured-traffic-frontend-strict is a byte-for-byte copy of traces/demo.pcap, kept below scenarios/ so that `check scenarios/` may read it', () => {
    const copy = readFileSync(join(ROOT, 'captured-traffic-frontend-strict', 'demo.pcap'));
    expect(copy.equals(readFileSync(join(ROOT, '..', 'traces', 'demo.pcap')))).toBe(true);
  });

  it('baseline-deny reports the published policy as rejected by istiod (pkg/config/security/security.go ValidateAttribute)', async () => {
    const { checks } = await checkScenarioFiles([join(ROOT, 'baseline-deny')]);
    const rejected = checks[0]?.diagnostics.filter((d) => d.severity === 'error' && d.object === 'AuthorizationPolicy production/security-baseline-deny');
    expect(rejected?.length).toBeGreaterThan(0);
  });
});
