import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const CLUSTER = ['-f', 'scenarios/demo/cluster'];
const TRACE = join(ROOT, 'traces/demo.pcap');

interface Report {
  results: Array<{ id: string; verdict: string; destination: string; reason: string; appTls?: { sni?: string }; origin?: { kind: string; packet?: number; note?: string } }>;
  diagnostics: Array<{ code: string; severity: string; offset?: number; file?: string }>;
  capture: { captures: Array<{ file: string; packets: Record<string, number>; connections: Record<string, number>; reader: { packets: number } }>; addresses: { postDnat: number; undone: number } };
  summary: { flows: number };
}

const json = (args: readonly string[]): { code: number; report: Report } => {
  const r = runCli(['simulate', ...CLUSTER, ...args, '-o', 'json']);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
};

describe('ambient-bench simulate --trace (captures recorded with tcpdump, traces/record.sh)', () => {
  it('replays the demo capture: its 12 HTTP requests, the binary, TLS, h2c and DNS flows, with every packet accounted for', () => {
    const { code, report } = json(['--trace', 'traces/demo.pcap']);
    expect(code).toBe(0);
    const capture = report.capture.captures[0]!;
    const p = capture.packets as Record<string, number>;
    expect(p['total']).toBe(capture.reader.packets);
    expect(p['decoded']! + p['nonIp']! + p['fragments']! + p['truncated']! + p['unsupported']!).toBe(p['total']);
    expect(capture.connections).toMatchObject({ httpRequests: 12, tls: 1, http2: 1, udp: 1 });
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(report.results.filter((r) => /#\d+\.\d+$/.test(r.id)).length).toBe(12);
    const tls = report.results.find((r) => r.appTls);
    expect(tls?.appTls).toEqual({ sni: 'api.payments-gateway.example' });
    expect(report.results.every((r) => r.origin?.kind === 'capture' && typeof r.origin.packet === 'number')).toBe(true);
    expect(byId.get('demo.pcap#2.1')).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched', destination: 'fintech-core/payment-processor:80' });
  });

  it('reads the pcapng recorded by dumpcap at the same time into the same flows', () => {
    const pcap = json(['--trace', 'traces/demo.pcap']).report.results.map((r) => ({ ...r, id: r.id.replace('demo.pcap', ''), origin: undefined }));
    const pcapng = json(['--trace', 'traces/demo.pcapng']).report.results.map((r) => ({ ...r, id: r.id.replace('demo.pcapng', ''), origin: undefined }));
    expect(pcapng).toEqual(pcap);
  });

  it('says which flows went to a pod behind a Service, and --undo-dnat replays them as Service traffic', () => {
    const plain = json(['--trace', 'traces/demo.pcap']).report;
    expect(plain.capture.addresses.postDnat).toBeGreaterThan(0);
    const bypass = plain.results.find((r) => r.destination.startsWith('fintech-core/payment-processor-'));
    expect(bypass?.origin?.note).toMatch(/kube-proxy's DNAT/);
    const undone = json(['--trace', 'traces/demo.pcap', '--undo-dnat']).report;
    expect(undone.capture.addresses.undone).toBe(plain.capture.addresses.postDnat);
    expect(undone.results.find((r) => r.id === bypass?.id)?.destination).toBe('fintech-core/payment-processor:80');
  });

  it('uses everything before the cut of a truncated capture, warns with the byte offset, and exits 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ab-trace-'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, readFileSync(TRACE).subarray(0, 6000));
    const { code, report } = json(['--trace', cut]);
    expect(code).toBe(0);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ code: 'capture-truncated', severity: 'warning', file: cut, offset: expect.any(Number) }));
    expect(report.summary.flows).toBeGreaterThan(0);
  });

  it('exits 2 on a file that is not a capture, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ab-trace-'));
    const bad = join(dir, 'notes.pcap');
    copyFileSync(join(ROOT, 'README.md'), bad);
    const r = runCli(['simulate', ...CLUSTER, '--trace', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/not a pcap or pcapng file/);
    expect(r.stderr).not.toMatch(/at .*\.[jt]s:\d+/);
  });

  it('replays a flow log next to a capture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ab-trace-'));
    const log = join(dir, 'hubble.json');
    writeFileSync(log, `${JSON.stringify({ flow: { time: '2026-11-30T10:00:00Z', IP: { source: '203.0.113.9', destination: '10.96.30.10' }, l4: { TCP: { source_port: 4000, destination_port: 80 } }, Type: 'L3_L4' } })}\n`);
    const { code, report } = json(['--trace', 'traces/demo.pcap', '--flow-log', log]);
    expect(code).toBe(0);
    expect(report.results.some((r) => r.id === `${log}:1` && r.origin?.kind === 'flow-log')).toBe(true);
  });

  it('streams -o jsonl as the capture is read: the same results as -o json, then the summary with the capture section', () => {
    const all = json(['--trace', 'traces/demo.pcap']).report;
    const lines = runCli(['simulate', ...CLUSTER, '--trace', 'traces/demo.pcap', '-o', 'jsonl']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const tail = lines.pop() as { summary: unknown; capture: unknown; schemaVersion: number };
    const byId = (xs: ReadonlyArray<Record<string, unknown>>) => [...xs].sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    expect(byId(lines)).toEqual(byId(all.results as unknown as Array<Record<string, unknown>>));
    expect(tail).toMatchObject({ schemaVersion: 1, summary: all.summary, capture: all.capture });
  });

  it('prints the capture section in text, with the packet equation', () => {
    const r = runCli(['simulate', ...CLUSTER, '--trace', 'traces/demo.pcap']);
    const golden = join(ROOT, 'test/cli/golden/demo-trace.txt');
    if (process.env['UPDATE_GOLDEN']) writeFileSync(golden, r.stdout);
    expect(r.stdout).toMatch(/packets {6}\d+ = \d+ decoded \+ \d+ non-IP/);
    expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
  });
});
