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

  it('sends UDP only to the demo\'s one UDP port (kube-dns 53), and elsewhere too with --undeclared-ports', () => {
    const udpPorts = (extra: string[]) => {
      const report = JSON.parse(runCli(['simulate', '-f', 'scenarios/demo/cluster', '--generate', '400', '--seed', '2', ...extra, '-o', 'json']).stdout);
      return new Set(report.results.filter((r: { reason: string }) => r.reason === 'not-captured-udp').map((r: { destination: string }) => r.destination));
    };
    expect([...udpPorts([])].every((d) => /:53$/.test(d as string))).toBe(true);
    expect([...udpPorts(['--undeclared-ports'])].some((d) => !/:53$/.test(d as string))).toBe(true);
  });

  it('adds a coverage section with --coverage, leaving the contract fields as they are', () => {
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', '--generate', '200', '--seed', '1', '--coverage', '-o', 'json']);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual([...CONTRACT_KEYS, 'coverage'].sort());
    // No orders pod declares the admin port 9090 that orders/deny-plaintext-admin-port guards, so flows to declared ports never meet it.
    expect(report.coverage).toMatchObject({ rules: 9, hit: 8, unhit: [{ policy: 'orders/deny-plaintext-admin-port', rule: 0 }] });
    expect(report.coverage.dropped).toEqual([{ policy: 'frontend/admin-console-read-only', rule: 0, action: 'ALLOW', enforcedBy: 'ztunnel' }]);
    expect(report.coverage.allowedWithoutPolicy.length).toBeGreaterThan(0);
  });

  it('hits every rule, the admin port\'s DENY included, with --undeclared-ports', () => {
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', '--generate', '200', '--seed', '1', '--undeclared-ports', '--coverage', '-o', 'json']);
    expect(JSON.parse(r.stdout).coverage).toMatchObject({ rules: 9, hit: 9, unhit: [] });
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
    ['--undeclared-ports without --generate', ['--flows', 'scenarios/demo/flows.yaml', '--undeclared-ports'], /--undeclared-ports needs --generate/],
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
