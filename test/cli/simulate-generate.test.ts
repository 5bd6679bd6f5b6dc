import { describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../src/files.js';
import { checkInvariant, invariant } from '../../src/generate/index.js';
import { replayArguments } from '../../src/report/replay-command.js';
import { runCli } from './run-cli.js';

const CONTRACT_KEYS = ['diagnostics', 'results', 'schemaVersion', 'summary'];

describe('ambient-bench simulate --generate', () => {
  it('simulates n generated flows, the same for the same seed, and says which seed it used', () => {
    const args = ['simulate', '-f', 'scenarios/demo/cluster', '--generate', '40', '--seed', '3', '-o', 'json'];
    const first = runCli(args);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(Object.keys(report).sort()).toEqual(CONTRACT_KEYS);
    expect(report.results).toHaveLength(40);
    expect(report.results[0].id).toBe('generated-1');
    expect(first.stderr).toContain('generated 40 flows over the cluster with seed 3');
    expect(runCli(args).stdout).toBe(first.stdout);
  });

  it('adds a coverage section with --coverage, leaving the contract fields as they are', () => {
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', '--generate', '200', '--seed', '1', '--coverage', '-o', 'json']);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual([...CONTRACT_KEYS, 'coverage'].sort());
    expect(report.coverage).toMatchObject({ rules: 9, hit: 9, unhit: [] });
    expect(report.coverage.dropped).toEqual([{ policy: 'frontend/admin-console-read-only', rule: 0, action: 'ALLOW', enforcedBy: 'ztunnel' }]);
    expect(report.coverage.allowedWithoutPolicy.length).toBeGreaterThan(0);
  });

  it('reports unhit rules after replaying the demo flows, in text', () => {
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml', '--coverage']);
    expect(r.stdout).toContain('Policy coverage');
    expect(r.stdout).toMatch(/DENY\s+orders\/deny-plaintext-admin-port rule 0 \(ztunnel\)/);
  });

  it.each([
    ['a count that is not a positive number', ['--generate', '0'], /--generate takes a positive number/],
    ['a seed without --generate', ['--flows', 'scenarios/demo/flows.yaml', '--seed', '3'], /--seed needs --generate/],
    ['a seed that is not an integer', ['--generate', '5', '--seed', 'x'], /--seed takes an integer/],
  ])('exits 2 on %s', (_name, extra, message) => {
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('the replay command of a counterexample', () => {
  it('makes ambient-bench explain reach the same verdict for the same reason', async () => {
    const demo = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
    const denied = invariant('nothing is denied', (_f, r) => r.verdict === 'allow');
    for (const seed of [1, 2]) {
      const c = checkInvariant(demo, denied, { seed }).counterexample;
      if (!c) throw new Error('expected a counterexample');
      const out = JSON.parse(runCli(['explain', ...replayArguments(c.flow, ['scenarios/demo/cluster']), '-o', 'json']).stdout);
      expect(out.result).toEqual(c.result);
    }
  });
});
