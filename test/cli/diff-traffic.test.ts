import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const WHAT_IF = ['diff', '-f', 'scenarios/demo/cluster', '--what-if', 'scenarios/captured-traffic-frontend-strict/scenario.yaml'];

describe('ambient-bench diff takes every kind of traffic (DESIGN.md: "traffic as above")', () => {
  it('replays a capture through both configurations: frontend going STRICT cuts off the client outside the mesh', () => {
    const r = runCli([...WHAT_IF, '--trace', 'traces/demo.pcap', '-o', 'json']);
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout) as { summary: Record<string, number>; changed: Array<{ id: string }> };
    expect(diff.summary).toMatchObject({ changed: 1, unchanged: 15, allowedToDenied: 1 });
    expect(diff.changed.map((c) => c.id)).toEqual(['demo.pcap#9.1']);
  });

  it('generates flows over the configuration before, repeatably with --seed, and --fail-on-change exits 1 when one changes', () => {
    const args = [...WHAT_IF, '--generate', '300', '--seed', '5', '-o', 'json'];
    const one = runCli(args);
    const two = runCli(args);
    expect(one.stdout).toBe(two.stdout);
    expect(one.stderr).toMatch(/generated 300 flows .* seed 5/);
    const counts = (JSON.parse(one.stdout) as { summary: Record<string, number> }).summary;
    expect(counts['changed']! + counts['unchanged']!).toBe(300);
    const failing = runCli([...WHAT_IF, '--trace', 'traces/demo.pcap', '--fail-on-change']);
    expect(failing.code).toBe(1);
  });

  it('generates flows to undeclared ports and protocols too with --undeclared-ports, and refuses it without --generate', () => {
    const flows = (extra: string[]) => (JSON.parse(runCli([...WHAT_IF, '--generate', '300', '--seed', '5', ...extra, '-o', 'json']).stdout) as { summary: Record<string, number> }).summary;
    const loose = flows(['--undeclared-ports']);
    expect(loose['changed']! + loose['unchanged']!).toBe(300);
    expect(loose).not.toEqual(flows([]));
    const refused = runCli([...WHAT_IF, '--trace', 'traces/demo.pcap', '--undeclared-ports']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--undeclared-ports needs --generate/);
  });

  it('lists a diagnostic both configurations share once', () => {
    const r = runCli([...WHAT_IF, '--trace', 'traces/demo.pcap']);
    expect(r.stdout.match(/deny-http-only/g)).toHaveLength(1);
  });

  it('still asks for traffic', () => {
    const r = runCli(['diff', '-f', 'scenarios/demo/cluster', '--what-if', 'scenarios/captured-traffic-frontend-strict/scenario.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no traffic given/);
  });
});
