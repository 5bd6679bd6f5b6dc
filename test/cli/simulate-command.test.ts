import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const DEMO = ['-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml'];
const RESULT_KEYS = ['id', 'source', 'destination', 'verdict', 'encrypted', 'decidedBy', 'policy', 'rule', 'reason', 'hops', 'steps'].sort();

describe('ambient-bench simulate (DESIGN.md contract)', () => {
  it('prints the JSON report with exactly the contract fields', () => {
    const r = runCli(['simulate', ...DEMO, '-o', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(Object.keys(report).sort()).toEqual(['diagnostics', 'results', 'schemaVersion', 'summary']);
    for (const result of report.results) expect(Object.keys(result).sort()).toEqual(RESULT_KEYS);
    const pays = report.results.find((x: { id: string }) => x.id === 'checkout-pays');
    expect(pays).toMatchObject({
      source: 'orders/checkout-service', destination: 'fintech-core/payment-processor:80', verdict: 'allow', encrypted: true,
      decidedBy: { component: 'destination-ztunnel', name: 'node-c' }, policy: 'fintech-core/payment-processor-via-waypoint', rule: 0, reason: 'allow-policy-matched',
    });
    expect(pays.hops[0]).toEqual({ from: 'orders/checkout-service', to: 'fintech-core/payments-waypoint', transport: 'hbone', peerIdentity: 'spiffe://cluster.local/ns/orders/sa/checkout-service' });
    expect(report.summary).toMatchObject({ flows: 14, allowed: 7, denied: 7, unencrypted: 4 });
    for (const d of report.diagnostics) expect(Object.keys(d)).toEqual(expect.arrayContaining(['severity', 'code', 'message']));
  });

  it('matches the golden text report of the demo', () => {
    const r = runCli(['simulate', ...DEMO]);
    expect(r.code).toBe(0);
    const golden = join(ROOT, 'test/cli/golden/demo.txt');
    if (process.env['UPDATE_GOLDEN']) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
  });

  it('writes one result per line then a summary line with -o jsonl', () => {
    const lines = runCli(['simulate', ...DEMO, '-o', 'jsonl']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(15);
    expect(lines[14].summary.flows).toBe(14);
    expect(lines[0].id).toBe('checkout-pays');
  });

  it.each([
    ['the demo flows', DEMO],
    ['generated flows', ['-f', 'scenarios/demo/cluster', '--generate', '3000', '--seed', '4']],
    ['a sidecar namespace moving to ambient', ['-f', 'scenarios/sidecar-namespace-to-ambient', '--generate', '1000', '--seed', '2']],
  ])('writes -o jsonl result lines for %s byte for byte as the built results are written (--coverage builds them)', (_name, args) => {
    const lines = runCli(['simulate', ...args, '-o', 'jsonl']).stdout.split('\n');
    const built = runCli(['simulate', ...args, '-o', 'jsonl', '--coverage']).stdout.split('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.slice(0, -2)).toEqual(built.slice(0, -2));
  });

  it.each([
    [['--fail-on', 'deny'], 1],
    [['--fail-on', 'plaintext'], 1],
    [['--fail-on', 'deny,plaintext'], 1],
    [[], 0],
  ])('exits %j -> %i', (extra, code) => {
    expect(runCli(['simulate', ...DEMO, '-o', 'json', ...extra]).code).toBe(code);
  });

  it.each([
    ['an unknown output format', ['simulate', ...DEMO, '-o', 'xml'], /-o must be one of text, json, jsonl/],
    ['an unknown --fail-on condition', ['simulate', ...DEMO, '--fail-on', 'slow'], /--fail-on takes deny, plaintext/],
    ['a bad --istiod-env', ['simulate', ...DEMO, '--istiod-env', 'NOEQUALS'], /--istiod-env takes KEY=VALUE/],
    ['no traffic', ['simulate', '-f', 'scenarios/demo/cluster'], /no traffic given/],
    ['no manifests', ['simulate', '--flows', 'scenarios/demo/flows.yaml'], /required option '-f, --file/],
  ])('exits 2 on %s, with a message and no stack trace', (_name, args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.[jt]s:\d+/);
  });

  it('exits 2 on a missing manifest path as a usage error: the message on stderr, no verdicts on stdout', () => {
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', '-f', 'no/such/dir', '--flows', 'scenarios/demo/flows.yaml', '-o', 'json']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'ambient-bench: -f no/such/dir: no such file or directory\n' });
  });

  it('exits 2 on a flows file that does not parse, naming file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ab-'));
    const flows = join(dir, 'flows.yaml');
    writeFileSync(flows, '- id: a\n  source: { workload: orders/order-service\n');
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', '--flows', flows, '-o', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics).toContainEqual(expect.objectContaining({ code: 'yaml-syntax', file: flows }));
  });

  it('--istiod-env overrides the istiod Deployment: PILOT_AUTO_ALLOW_WAYPOINT_POLICY attaches istiod\'s implicit waypoint ALLOW', () => {
    const args = ['explain', '-f', 'scenarios/demo/cluster', '--from', 'orders/checkout-service', '--to', 'fintech-core/payment-processor:80', '--method', 'POST', '--path', '/api/v1/payments', '-o', 'json'];
    const inScope = (extra: string[]) => {
      const out = JSON.parse(runCli([...args, ...extra]).stdout);
      return out.enforcement.find((e: { component: string }) => e.component === 'destination-ztunnel').decision.evaluations.map((e: { policy: string }) => e.policy);
    };
    expect(inScope([])).not.toContain('fintech-core/istio_allow_waypoint_fintech-core_payments-waypoint');
    expect(inScope(['--istiod-env', 'PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true'])).toContain('fintech-core/istio_allow_waypoint_fintech-core_payments-waypoint');
  });
});

describe('ambient-bench explain', () => {
  it('shows every enforcement point, the policies in scope and the nearest miss', () => {
    const r = runCli(['explain', '-f', 'scenarios/demo/cluster', '--from', 'orders/checkout-service', '--to', 'fintech-core/payment-processor:80', '--method', 'POST', '--path', '/api/v1/refunds/r1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DENY /);
    expect(r.stdout).toContain('waypoint fintech-core/payments-waypoint: DENY');
    expect(r.stdout).toMatch(/ALLOW\s+fintech-core\/payment-processor-api\s+no match/);
    expect(r.stdout).toContain('nearest miss: rule 0, paths wants "/api/v1/payments" or "/api/v1/payments/{*}/capture", got "/api/v1/refunds/r1"');
  });

  it('explains with JSON, including what each enforcement point saw', () => {
    const r = runCli(['explain', '-f', 'scenarios/demo/cluster', '--from', 'legacy/settlement-batch', '--to', 'fintech-core/payment-processor:80', '-o', 'json']);
    const out = JSON.parse(r.stdout);
    expect(out.result).toMatchObject({ verdict: 'deny', reason: 'strict-mtls-plaintext-denied', policy: 'istio-system/istio_converted_static_strict' });
    expect(out.enforcement[0]).toMatchObject({ component: 'destination-ztunnel', sees: { srcIdentity: null, dstPort: 8080 } });
  });

  it('exits 2 when --from names nothing in the manifests', () => {
    const r = runCli(['explain', '-f', 'scenarios/demo/cluster', '--from', 'nosuch/thing', '--to', 'fintech-core/payment-processor:80']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from nosuch/thing names nothing in the manifests');
  });

  it('rejects a destination without a port', () => {
    const r = runCli(['explain', '-f', 'scenarios/demo/cluster', '--from', 'orders/checkout-service', '--to', 'fintech-core/payment-processor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to takes ns\/service:port/);
  });
});
