import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const L4 = ['-f', 'scenarios/waypoint-breaks-l4-policy/cluster.yaml', '-f', 'scenarios/waypoint-breaks-l4-policy/policies.yaml'];
const dir = mkdtempSync(join(tmpdir(), 'timeline-cli-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const flows = file('flows.yaml', [
  '- { id: long, source: { workload: orders/checkout }, destination: { service: payments/api, port: 80 }, time: 1, duration: 600 }',
  '- { id: later, source: { workload: orders/checkout }, destination: { service: payments/api, port: 80 }, time: 60 }',
  '',
].join('\n'));
const tightening = file('timeline.yaml', `settings: { pushDelay: 2 }
timeline:
  - { at: 0, phase: "1: L4 only" }
  - { at: 50, phase: "2: checkout cut off" }
  - at: 50
    apply:
      - apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: { name: deny-checkout, namespace: payments }
        spec:
          action: DENY
          rules: [{ from: [{ source: { principals: ["cluster.local/ns/orders/sa/checkout"] } }] }]
`);

describe('ambient-bench simulate --timeline', () => {
  it('writes each result with its time, phase and closing, and the phases, in -o json', () => {
    const r = runCli(['simulate', ...L4, '--flows', flows, '--timeline', tightening, '-o', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.results.map((x: Record<string, unknown>) => [x['id'], x['verdict'], x['time'], x['phase'], x['closedAt'], x['closedReason']])).toEqual([
      ['long', 'allow', 1, '1: L4 only', 52, 'closed-by-policy-update'],
      ['later', 'deny', 60, '2: checkout cut off', undefined, undefined],
    ]);
    expect(report.phases.map((p: { name: string; closed: number }) => [p.name, p.closed])).toEqual([['1: L4 only', 1], ['2: checkout cut off', 0]]);
    expect(report.summary).toEqual({ flows: 2, allowed: 1, denied: 1, unencrypted: 0 });
    // Per-component load over time: the destination ztunnel had the long connection open, then denied the later one.
    const ztunnels = report.componentLoad.filter((c: { kind: string }) => c.kind === 'ztunnel');
    const windows = ztunnels.flatMap((c: { windows: { start: number; connections: number; denials: number; peakOpen: number }[] }) => c.windows);
    expect(windows.reduce((n: number, w: { connections: number }) => n + w.connections, 0)).toBe(2);
    expect(windows.reduce((n: number, w: { denials: number }) => n + w.denials, 0)).toBe(1);
    expect(Math.max(...windows.map((w: { peakOpen: number }) => w.peakOpen))).toBe(1);
  });

  it('shows the phases and the closing in -o text, and -o jsonl lines parse', () => {
    const text = runCli(['simulate', ...L4, '--flows', flows, '--timeline', tightening]);
    expect(text.stdout).toContain('closed at 52 s (closed-by-policy-update)');
    expect(text.stdout).toContain('  2: checkout cut off (50 s - end): 1 flows, 0 allowed, 1 denied, 0 unencrypted');
    expect(text.stdout).toContain('Load over time (windows of 60 s)');
    const lines = runCli(['simulate', ...L4, '--flows', flows, '--timeline', tightening, '-o', 'jsonl']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.closedAt ?? l.phases?.length)).toEqual([52, undefined, 2]);
  });

  it('exits 2 with the file:line of a bad timeline entry, and 1 under --fail-on deny', () => {
    const bad = runCli(['simulate', ...L4, '--flows', flows, '--timeline', file('bad.yaml', '- { at: 1, phase: a }\n- at: -3\n  phase: b\n')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:2:7: at must not be negative, got -3');
    expect(runCli(['simulate', ...L4, '--flows', flows, '--timeline', tightening, '--fail-on', 'deny']).code).toBe(1);
  });

  it('refuses --shard and --coverage with --timeline (exit 2): a timeline needs every flow', () => {
    const sharded = runCli(['simulate', ...L4, '--flows', flows, '--timeline', tightening, '--shard', '1/2', '-o', 'jsonl']);
    expect([sharded.code, sharded.stdout]).toEqual([2, '']);
    expect(sharded.stderr).toContain('--shard does not take --timeline');
    expect(runCli(['simulate', ...L4, '--flows', flows, '--timeline', tightening, '--coverage']).code).toBe(2);
  });

  it('gives the simulate results with their time when the timeline has no events', () => {
    const plain = JSON.parse(runCli(['simulate', '-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml', '-o', 'json']).stdout);
    const timed = JSON.parse(runCli(['simulate', '-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml', '-o', 'json', '--timeline', file('empty.yaml', '[]\n')]).stdout);
    expect(timed.results.map(({ time: _, ...rest }: Record<string, unknown>) => rest)).toEqual(plain.results);
    expect(timed.diagnostics).toEqual(plain.diagnostics);
  });
});

describe('ambient-bench simulate --timeline with istiod unreachable for 48 h', () => {
  const weekend = ['-f', 'scenarios/demo/cluster', '--flows', 'scenarios/istiod-unreachable-weekend/flows.yaml'];
  const outage = file('outage.yaml', '- { at: 0, istiodUnreachable: { for: 172800 } }\n');

  it('fails HBONE from the certificate expiry at 24 h with certificate-expired and the certificate\'s state, in -o json and -o text', () => {
    const r = runCli(['simulate', ...weekend, '--timeline', outage, '-o', 'json']);
    expect(r.code).toBe(0);
    const results: { id: string; reason: string; steps: { detail?: Record<string, unknown> }[] }[] = JSON.parse(r.stdout).results;
    expect(results.map((x) => [x.id, x.reason])).toEqual([
      ['friday-evening', 'allow-policy-matched'], ['saturday-renewal-failing', 'allow-policy-matched'], ['saturday-last-second', 'allow-policy-matched'],
      ['saturday-evening', 'certificate-expired'], ['sunday-report', 'routed-plaintext-to-unenrolled'], ['sunday-evening', 'certificate-expired'],
      ['after-istiod-is-back', 'allow-policy-matched'],
    ]);
    expect(results[3]?.steps[0]?.detail).toMatchObject({ side: 'source', why: 'expired', issuedAt: 0, expiredAt: 86400 });
    const text = runCli(['simulate', ...weekend, '--timeline', outage]).stdout;
    expect(text).toContain('deny  source-ztunnel node-a: HBONE failed: source workload certificate of spiffe://cluster.local/ns/orders/sa/checkout-service expired at 86400 s');
  });

  it('without the outage the same traffic is allowed throughout', () => {
    const r = JSON.parse(runCli(['simulate', ...weekend, '--timeline', file('none.yaml', '[]\n'), '-o', 'json']).stdout);
    expect(r.summary).toMatchObject({ flows: 7, allowed: 7, denied: 0 });
  });
});

describe('ambient-bench simulate --timeline with the seed articles\' rate limit at a waypoint', () => {
  const replay = ['-f', 'scenarios/demo/cluster', '-f', 'scenarios/rate-limit-replay/rate-limit-filter.yaml', '--flows', 'scenarios/rate-limit-replay/flows.yaml'];

  it('answers 429 to exactly the requests a continuously refilled bucket of 100 tokens per 60 s refuses, in -o json and -o text', () => {
    const r = runCli(['simulate', ...replay, '--timeline', file('no-events.yaml', '[]\n'), '-o', 'json']);
    expect(r.code).toBe(0);
    const results: { id: string; time: number; reason: string }[] = JSON.parse(r.stdout).results;
    // The bucket computed here on its own: full at first, 100/60 tokens a second, one per request.
    let tokens = 100;
    let last = results[0]?.time ?? 0;
    const refused = new Set<string>();
    for (const x of [...results].sort((a, b) => a.time - b.time)) {
      tokens = Math.min(100, tokens + ((x.time - last) * 100) / 60);
      last = x.time;
      if (tokens >= 1) tokens -= 1;
      else refused.add(x.id);
    }
    expect(refused.size).toBe(41);
    expect(new Set(results.filter((x) => x.reason === 'rate-limited').map((x) => x.id))).toEqual(refused);
    const text = runCli(['simulate', ...replay, '--timeline', file('no-events.yaml', '[]\n')]).stdout;
    expect(text).toContain('deny  waypoint fintech-core/payments-waypoint: rejected with 429 by the local rate limit of EnvoyFilter fintech-core/rate-limit-filter: its token bucket (100 tokens, 100 more every 60 s) had 0.54 left; the next token is due at 43204.2 s');
  });

  it('leaves simulate without --timeline as it was: no request is rate-limited', () => {
    const r = JSON.parse(runCli(['simulate', ...replay, '-o', 'json']).stdout);
    expect(r.results.filter((x: { reason: string }) => x.reason === 'rate-limited')).toEqual([]);
  });
});

describe('ambient-bench check with a timeline', () => {
  it('reports every phase and what its start changes in -o json, and a testcase per phase expectation in -o junit', () => {
    const json = runCli(['check', '--root', 'scenarios', 'scenarios/ambient-rollout', '-o', 'json']);
    expect(json.code).toBe(0);
    const scenario = JSON.parse(json.stdout).scenarios[0];
    expect(scenario.phases.map((p: { phase: { name: string }; changes: { deniedToAllowed: number } }) => [p.phase.name, p.changes.deniedToAllowed])).toEqual([
      ['1: ambient for non-critical namespaces', 0], ['2: waypoint for orders', 1], ['3: L7 policy at the orders waypoint', 0], ['4: production: STRICT mTLS mesh-wide', 0],
    ]);
    const junit = runCli(['check', '--root', 'scenarios', 'scenarios/ambient-rollout', '-o', 'junit']).stdout;
    expect(junit).toContain('<testcase name="during 2: waypoint for orders: flow demo.pcap#8: verdict allow, decided by destination-ztunnel, policy orders/order-service-callers"');
  });

  it('exits 1 naming the phases when an expectation names a phase the timeline lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-check-'));
    writeFileSync(join(dir, 'scenario.yaml'), `name: wrong phase\nmanifests: [${process.cwd()}/scenarios/waypoint-breaks-l4-policy/cluster.yaml]\ntraffic:\n  flows: [{ id: a, source: { workload: orders/checkout }, destination: { service: payments/api, port: 80 } }]\ntimeline:\n  - { at: 0, phase: one }\nexpect:\n  - { during: two, flow: a, verdict: allow }\n`);
    const r = runCli(['check', '--root', '/', join(dir, 'scenario.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no phase "two" in the timeline; its phases are "one"');
  });
});
