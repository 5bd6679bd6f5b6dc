import { describe, expect, it } from 'vitest';
import { parseXml } from '../report/junit-schema.js';
import { runCli } from './run-cli.js';

const DECIMAL = /^\d+(\.\d+)?$/;
/** JUnit seconds as whole microseconds, so sums are exact. */
const micros = (t: string | undefined) => Math.round(Number(t) * 1e6);

describe('check -o junit carries real elapsed times', () => {
  const run = runCli(['check', 'scenarios/mesh-goes-strict', 'scenarios/namespace-isolation', '-o', 'junit']);
  const root = parseXml(run.stdout);
  const suites = root.children.filter((s) => s.name === 'testsuite');

  it('writes every time attribute as a non-negative decimal number of seconds', () => {
    expect(suites.length).toBe(2);
    const times = [root, ...suites, ...suites.flatMap((s) => s.children.filter((c) => c.name === 'testcase'))].map((e) => e.attributes['time']);
    for (const t of times) expect(t).toMatch(DECIMAL);
  });

  it('gives each suite a time above zero and at least the sum of its testcases', () => {
    for (const suite of suites) {
      const suiteTime = micros(suite.attributes['time']);
      const cases = suite.children.filter((c) => c.name === 'testcase').map((c) => micros(c.attributes['time']));
      expect(suiteTime).toBeGreaterThan(0);
      expect(suiteTime).toBeGreaterThanOrEqual(cases.reduce((a, b) => a + b, 0));
    }
  });

  it('gives the run a time at least the sum of its suites', () => {
    const total = suites.reduce((n, s) => n + micros(s.attributes['time']), 0);
    expect(micros(root.attributes['time'])).toBeGreaterThanOrEqual(total);
  });
});
