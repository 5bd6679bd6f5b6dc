import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const DEMO = ['-f', 'scenarios/demo/cluster'];

/** `--jobs n` (DESIGN.md "Scale"): worker threads, output the same as with one job, in the same order. */
describe('simulate --jobs n writes what --jobs 1 writes', () => {
  const inputs: [string, string[]][] = [
    ['the demo capture (captured flows, capture section, pooled tunnels through a waypoint)', ['--trace', 'traces/demo.pcap', 'traces/demo.pcapng']],
    ['the demo flows file', ['--flows', 'scenarios/demo/flows.yaml']],
    ['generated flows with undeclared ports', ['--generate', '1000', '--seed', '7', '--undeclared-ports']],
  ];
  for (const [what, traffic] of inputs) {
    it(`for ${what}`, () => {
      const one = runCli(['simulate', ...DEMO, ...traffic, '-o', 'jsonl', '--jobs', '1']);
      expect(one.code).toBe(0);
      expect(one.stdout.split('\n').length).toBeGreaterThan(3);
      for (const jobs of ['2', '3']) {
        const many = runCli(['simulate', ...DEMO, ...traffic, '-o', 'jsonl', '--jobs', jobs]);
        expect(many.code, many.stderr).toBe(0);
        expect(many.stdout).toBe(one.stdout);
      }
    });
  }

  it('keeps --fail-on and the exit code of unreadable input', () => {
    const one = runCli(['simulate', ...DEMO, '--trace', 'traces/demo.pcap', '-o', 'jsonl', '--jobs', '1', '--fail-on', 'deny']);
    const two = runCli(['simulate', ...DEMO, '--trace', 'traces/demo.pcap', '-o', 'jsonl', '--jobs', '2', '--fail-on', 'deny']);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const missing = runCli(['simulate', ...DEMO, '--trace', 'traces/demo.pcap', 'traces/none.pcap', '-o', 'jsonl', '--jobs', '2']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe(runCli(['simulate', ...DEMO, '--trace', 'traces/demo.pcap', 'traces/none.pcap', '-o', 'jsonl', '--jobs', '1']).stdout);
  });

  it('takes a number of threads from 1 to 64, and more than one only for -o jsonl without standard input, --coverage or --shard', () => {
    for (const bad of ['0', '65', 'x', '1.5']) {
      const r = runCli(['simulate', ...DEMO, '--trace', 'traces/demo.pcap', '-o', 'jsonl', '--jobs', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--jobs takes a number of threads');
    }
    for (const extra of [['-o', 'text'], ['-o', 'jsonl', '--coverage'], ['-o', 'jsonl', '--shard', '1/2']]) {
      const r = runCli(['simulate', ...DEMO, '--trace', 'traces/demo.pcap', '--jobs', '2', ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toContain('use --jobs 1');
    }
  });
});
