import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const SCENARIO = 'scenarios/suggest-from-capture';
const CAPTURE = 'scenarios/captured-traffic-frontend-strict/demo.pcap';
/** The demo cluster without 60-policies.yaml, as the bundled scenario lists it. */
const CLUSTER = ['00-istio-system', '01-nodes', '10-namespaces', '15-pods', '20-fintech-core', '30-orders', '40-frontend', '50-legacy', '55-kube-system']
  .flatMap((f) => ['-f', `scenarios/demo/cluster/${f}.yaml`]);

describe('ambient-bench suggest', () => {
  it('writes, for the demo cluster without its policies and the demo capture, the bundled scenario\'s suggested-policies.yaml', () => {
    const r = runCli(['suggest', ...CLUSTER, '--trace', CAPTURE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(resolve(ROOT, SCENARIO, 'suggested-policies.yaml'), 'utf8'));
    expect(r.stdout).toContain('# replay: 16/16 observed flows allowed');
  });

  it('lists under replay.nearMisses the near misses the bundled scenario checks denied', () => {
    const json = JSON.parse(runCli(['suggest', ...CLUSTER, '--trace', CAPTURE, '-o', 'json']).stdout);
    const listed = json.replay.nearMisses.list.map(({ flow, verdict }: { flow: Record<string, never> & { http?: { method: string; path: string; host?: string } }; verdict: string }) => ({
      id: flow['id'], source: flow['source'], destination: flow['destination'], protocol: flow['protocol'], verdict,
      ...(flow.http ? { method: flow.http.method, path: flow.http.path, ...(flow.http.host ? { host: flow.http.host } : {}) } : {}),
    }));
    const bundled = parseAllDocuments(readFileSync(resolve(ROOT, SCENARIO, 'near-misses.yaml'), 'utf8'))[0]?.toJS() as Record<string, unknown>[];
    expect(listed).toEqual(bundled.map((f) => ({ ...f, verdict: 'deny' })));
    expect(listed.length).toBeGreaterThan(40);
  });

  it('writes YAML that validate accepts with no error and no warning', () => {
    const r = runCli(['suggest', ...CLUSTER, '--trace', CAPTURE, '--check']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.stdout);
    expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    expect(docs.map((d) => (d.toJS() as { kind: string }).kind)).toEqual(docs.map(() => 'AuthorizationPolicy'));
    const file = join(mkdtempSync(join(tmpdir(), 'suggest-')), 'suggested.yaml');
    writeFileSync(file, r.stdout);
    const v = runCli(['validate', ...CLUSTER, '-f', file]);
    expect(v.stdout).toContain('0 errors, 0 warnings');
    expect(v.code).toBe(0);
  });

  it('-o json reports the policies, the replay and the existing rules broader than the traffic needs', () => {
    const r = runCli(['suggest', '-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml', '-o', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, at: 'auto', replay: { agrees: true, observed: { denied: [] } } });
    expect(json.replay.observed.allowed).toBe(json.admitted);
    expect(json.policies.map((p: { enforcedBy: string }) => p.enforcedBy)).toContain('waypoint');
    expect(json.broader).toContainEqual(expect.objectContaining({ policy: 'frontend/admin-console-read-only', why: 'dropped-for-ztunnel' }));
    expect(json.diagnostics.length).toBeGreaterThan(0);
  });

  it('--at ztunnel writes selector policies only, and says the waypoint hides the clients', () => {
    const r = runCli(['suggest', ...CLUSTER, '--trace', CAPTURE, '--at', 'ztunnel', '-o', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.policies.every((p: { enforcedBy: string }) => p.enforcedBy === 'ztunnel')).toBe(true);
    expect(json.notes.map((n: { kind: string }) => n.kind)).toContain('waypoint-identity-only');
  });

  it('reads flow logs as simulate does: a plaintext client in a Hubble export is admitted by its IP', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'suggest-')), 'hubble.json');
    writeFileSync(log, `${JSON.stringify({ flow: { time: '2026-11-30T10:00:00Z', IP: { source: '203.0.113.9', destination: '10.96.30.10' }, l4: { TCP: { source_port: 4000, destination_port: 80 } }, Type: 'L3_L4' } })}\n`);
    const r = runCli(['suggest', ...CLUSTER, '--flow-log', log, '-o', 'json', '--check']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.policies.map((p: { manifest: { spec: { rules: unknown[] } } }) => p.manifest.spec.rules)).toEqual([[{ from: [{ source: { ipBlocks: ['203.0.113.9/32'] } }], to: [{ operation: { ports: ['3000'] } }] }]]);
    expect(json.notes).toContainEqual(expect.objectContaining({ kind: 'plaintext-clients', clients: ['203.0.113.9'] }));
  });

  it.each([
    [['--at', 'sidecar'], /--at must be one of auto, ztunnel, waypoint/],
    [['-o', 'html'], /-o must be one of yaml, json/],
    [[], /no traffic given/],
  ])('exits 2 on a usage error (%j)', (args, message) => {
    const traffic = args.length > 0 ? ['--trace', CAPTURE] : [];
    const r = runCli(['suggest', ...CLUSTER, ...traffic, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 with the file and line of a malformed flows file, and writes no policy', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'suggest-')), 'flows.yaml');
    writeFileSync(file, '- source: { workload: orders/checkout-service }\n  destination: { service: fintech-core/payment-processor, port: eighty }\n');
    const r = runCli(['suggest', ...CLUSTER, '--flows', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:1: flow 1: destination.port must be an integer`);
    expect(r.stderr).toContain('no policy was suggested from what was left');
    expect(r.stdout).toBe('');
  });
});
