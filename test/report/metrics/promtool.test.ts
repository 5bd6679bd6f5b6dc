import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import { applyWhatIf, parseWhatIf, prepareMesh, simulate, type Cluster, type Flow } from '../../../src/index.js';
import { loadManifestFiles, readFlowsFile } from '../../../src/files.js';
import { IstioMetricsRecorder } from '../../../src/report/metrics/istio-metrics.js';
import { systemTool } from '../../support/system-tool.js';

/**
 * The metrics are checked with Prometheus's own tools (promtool from Debian's package prometheus):
 * the linter accepts them, the TSDB importer loads them, and the seed articles' alert rules
 * (test/fixtures/prometheus, vendored from the article with its provenance) are evaluated over them
 * with `promtool test rules`, before and after a migration step of the demo.
 */
const promtool = systemTool('promtool', 'prometheus');
const FIXTURES = resolve(__dirname, '../../fixtures/prometheus');
const WINDOW = 15;
/** Demo traffic rounds per second, and seconds of traffic: every demo flow 4 times a second for 15 minutes. */
const ROUNDS_PER_SECOND = 4;
const SECONDS = 900;

let before: Cluster;
let after: Cluster;
let flows: Flow[];
beforeAll(async () => {
  const demo = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
  // Before: the waypoint exists but payment-processor does not use it yet; the step: it does.
  before = applyWhatIf(demo, parseWhatIf([{ label: { kind: 'Service', namespace: 'fintech-core', name: 'payment-processor', remove: ['istio.io/use-waypoint'] } }]).steps).cluster;
  after = applyWhatIf(before, parseWhatIf([{ useWaypoint: { service: 'fintech-core/payment-processor', waypoint: 'payments-waypoint' } }]).steps).cluster;
  const round = (await readFlowsFile('scenarios/demo/flows.yaml')).flows;
  flows = [];
  for (let i = 0; i < SECONDS * ROUNDS_PER_SECOND; i++) for (const f of round) flows.push({ ...f, id: `${f.id}-${i}`, time: i / ROUNDS_PER_SECOND + f.time / 10 });
});

const rendered = new Map<string, string>();

/** The OpenMetrics text of the traffic through a cluster, its time 0 at the epoch (as promtool's rule tests count). */
function metricsOf(cluster: Cluster, start = 0): string {
  const key = `${cluster === before ? 'before' : 'after'}@${start}`;
  const known = rendered.get(key);
  if (known !== undefined) return known;
  const index = prepareMesh(cluster);
  const recorder = new IstioMetricsRecorder(index.mesh, { start, window: WINDOW });
  const report = simulate(index, flows, []);
  report.results.forEach((r, i) => recorder.add(r, (flows[i] as Flow).time, (flows[i] as Flow).http !== undefined));
  rendered.set(key, recorder.render());
  return rendered.get(key) as string;
}

/** The samples as promtool's rule-test input series: one `values` string per series, a value per interval, `_` where none. */
function inputSeries(text: string): { series: string; values: string }[] {
  const bySeries = new Map<string, Map<number, string>>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+\{.*\}) (\S+) (\S+)$/.exec(line) as RegExpExecArray;
    const steps = bySeries.get(m[1] as string) ?? new Map<number, string>();
    steps.set(Math.round(Number(m[3]) / WINDOW), m[2] as string);
    bySeries.set(m[1] as string, steps);
  }
  return [...bySeries].map(([series, steps]) => {
    const last = Math.max(...steps.keys());
    return { series, values: Array.from({ length: last + 1 }, (_, i) => steps.get(i) ?? '_').join(' ') };
  });
}

/** Runs `promtool test rules` with the alerts expected to fire (and no other) at `evalTime`. */
function testRules(text: string, ruleFile: string, expected: Record<string, readonly Record<string, string>[]>, evalTime: string): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ambient-bench-rules-'));
  const test = {
    rule_files: [join(FIXTURES, ruleFile)],
    evaluation_interval: `${WINDOW}s`,
    tests: [{
      interval: `${WINDOW}s`,
      input_series: inputSeries(text),
      alert_rule_test: Object.entries(expected).map(([alertname, alerts]) => ({ eval_time: evalTime, alertname, exp_alerts: alerts.map((exp_annotations) => ({ exp_labels: {}, exp_annotations })) })),
    }],
  };
  // JSON is YAML: promtool reads it as it reads a YAML test file.
  const file = join(dir, 'test.yaml');
  writeFileSync(file, JSON.stringify(test));
  const r = promtool.run(['test', 'rules', file]);
  return { status: r.status, output: r.stdout + r.stderr };
}

const TLS_ALERT = { summary: 'Non-mTLS traffic detected', description: 'Some traffic is not using mutual TLS' };
const DENIAL_ALERT = { summary: 'High number of authorisation denials', description: 'Unusual number of 403 responses detected' };

describe('Istio metrics of the demo, read by Prometheus\'s promtool', () => {
  promtool.it('are accepted by promtool check metrics and loaded by promtool tsdb create-blocks-from openmetrics', () => {
    const text = metricsOf(after, 1_765_000_000);
    const check = promtool.run(['check', 'metrics'], text);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'ambient-bench-tsdb-'));
    writeFileSync(join(dir, 'metrics.om'), text);
    const load = promtool.run(['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'metrics.om'), join(dir, 'blocks')]);
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    // promtool prints each block it wrote with its sample count; together they hold every sample.
    const written = [...load.stdout.matchAll(/^\S+\s+\d+\s+\d+\s+\S+\s+(\d+)\s/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(written).toBe(samples);
  }, 60_000);

  promtool.it('before the step (no waypoint in use): neither of the article\'s alerts fires, as no istio_requests_total exists; the ztunnel shows the plaintext', () => {
    const text = metricsOf(before);
    expect(text).not.toMatch(/^istio_requests_total\{/m);
    const article = testRules(text, 'istio-security-alerts.rules.yaml', { IstioMutualTLSDisabled: [], IstioAuthorizationDenialSpike: [] }, '14m');
    expect(article.output).toContain('SUCCESS');
    expect(article.status).toBe(0);
    const ambient = testRules(text, 'ambient-plaintext.rules.yaml', { AmbientPlaintextConnections: [{}] }, '14m');
    expect(ambient.output).toContain('SUCCESS');
  }, 60_000);

  promtool.it('after the step: the waypoint\'s 403s fire IstioAuthorizationDenialSpike, and IstioMutualTLSDisabled fires though every request is mutual_tls', () => {
    const text = metricsOf(after);
    const requests = text.split('\n').filter((l) => l.startsWith('istio_requests_total{'));
    expect(requests.length).toBeGreaterThan(0);
    // The article's security_policy label does not exist, so its != matcher matches every series.
    expect(requests.every((l) => l.includes('connection_security_policy="mutual_tls"'))).toBe(true);
    expect(requests.some((l) => /[{,]security_policy=/.test(l))).toBe(false);
    const fired = testRules(text, 'istio-security-alerts.rules.yaml', { IstioMutualTLSDisabled: [TLS_ALERT], IstioAuthorizationDenialSpike: [DENIAL_ALERT] }, '14m');
    expect(fired.output).toContain('SUCCESS');
    expect(fired.status).toBe(0);
  }, 60_000);

  promtool.it('fails a rule test that expects the wrong outcome, so the tests above can fail', () => {
    const wrong = testRules(metricsOf(after), 'istio-security-alerts.rules.yaml', { IstioAuthorizationDenialSpike: [] }, '14m');
    expect(wrong.status).not.toBe(0);
    expect(wrong.output).toContain('FAILED');
  }, 60_000);
});
