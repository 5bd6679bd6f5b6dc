import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { systemTool } from '../support/system-tool.js';

const promtool = systemTool('promtool', 'prometheus');
const CAPTURE = ['simulate', '-f', 'scenarios/demo/cluster', '--trace', 'traces/demo.pcap'];

describe('ambient-bench simulate --metrics (DESIGN.md "Reports for people and other tools")', () => {
  promtool.it('writes the demo capture\'s Istio metrics, with timestamps from --metrics-start, that promtool accepts', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ambient-bench-metrics-')), 'demo.om');
    const r = runCli([...CAPTURE, '-o', 'json', '--metrics', file, '--metrics-start', '2026-12-06T10:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.flows).toBe(16);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    const times = [...text.matchAll(/ (\d+(?:\.\d+)?)\n/g)].map((m) => Number(m[1]));
    expect(Math.min(...times)).toBe(Date.parse('2026-12-06T10:00:15Z') / 1000);
    expect(text).toMatch(/^istio_requests_total\{reporter="waypoint",.*response_code="403"/m);
    expect(text).toMatch(/^istio_tcp_connections_opened_total\{reporter="destination",.*connection_security_policy="unknown"\}/m);
    const check = promtool.run(['check', 'metrics'], text);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('writes the same file whatever -o is, and -o jsonl still streams', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ambient-bench-metrics-'));
    const outputs = ['text', 'jsonl', 'dot'].map((format) => {
      const file = join(dir, `${format}.om`);
      expect(runCli([...CAPTURE, '-o', format, '--metrics', file, '--metrics-start', '1765000000']).code).toBe(0);
      return readFileSync(file, 'utf8');
    });
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  it.each([
    [['--metrics-window', '0'], '--metrics-window takes seconds from 1 to 3600, got "0"'],
    [['--metrics-start', 'yesterday'], '--metrics-start takes RFC 3339'],
    [['-o', 'jsonl', '--shard', '1/2'], '--shard and --metrics cannot be used together: the metrics need every flow'],
    [['-o', 'jsonl', '--jobs', '2'], '--jobs 2 runs -o jsonl only, and neither with standard input, --coverage, --metrics, --shard nor --timeline (here: --metrics)'],
  ])('refuses %j as a usage error', (args, message) => {
    const r = runCli([...CAPTURE, '--metrics', join(tmpdir(), 'unused.om'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('says which file it could not write, with exit 2', () => {
    const r = runCli([...CAPTURE, '--metrics', '/nonexistent-dir/m.om']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--metrics: cannot write /nonexistent-dir/m.om: ENOENT');
  });
});
