import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const B14 = '../shared/corpus/articles/b14-security-baseline-deny.yaml';

describe('ambient-bench validate', () => {
  it('reports what istiod rejects with file:line:col and exits 1', () => {
    const r = runCli(['validate', '-f', B14]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${B14}:36:11: error unknown-condition-key: AuthorizationPolicy production/security-baseline-deny: unknown attribute "request.url_path"`);
    expect(r.stdout).toContain('2 errors, 0 warnings');
  });

  it('exits 0 on the demo cluster, which istiod accepts, and 1 with --failure-threshold warning', () => {
    expect(runCli(['validate', '-f', 'scenarios/demo/cluster']).code).toBe(0);
    expect(runCli(['validate', '-f', 'scenarios/demo/cluster', '--failure-threshold', 'warning']).code).toBe(1);
  });

  it('prints JSON diagnostics and a summary', () => {
    const out = JSON.parse(runCli(['validate', '-f', B14, '-o', 'json']).stdout);
    expect(out.summary).toMatchObject({ errors: 2, objects: { AuthorizationPolicy: 1 } });
    expect(out.diagnostics.map((d: { code: string }) => d.code).sort()).toEqual(['invalid-cidr', 'unknown-condition-key']);
  });

  it('exits 2 on a missing file', () => {
    expect(runCli(['validate', '-f', 'nope.yaml']).code).toBe(2);
  });
});
