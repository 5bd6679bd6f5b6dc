import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { systemTool } from '../support/system-tool.js';

const DEMO = ['-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml'];
const dot = systemTool('dot', 'graphviz');

describe('ambient-bench simulate -o dot and -o mermaid (DESIGN.md "Reports for people and other tools")', () => {
  dot.it('writes the demo capture\'s graph as DOT that Graphviz draws, one node per workload, Service, waypoint and address', () => {
    const r = runCli(['simulate', '-f', 'scenarios/demo/cluster', '--trace', 'traces/demo.pcap', '-o', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\/\/ ambient-bench traffic graph: \d+ nodes, \d+ edges, 16 flows\ndigraph traffic \{/);
    const svg = dot.run(['-Tsvg'], r.stdout);
    expect(svg.status, svg.stderr).toBe(0);
    const declared = r.stdout.split('\n').filter((l) => /^ +n\d+ \[label=/.test(l)).length;
    const linked = r.stdout.split('\n').filter((l) => /^ +n\d+ -> n\d+ /.test(l)).length;
    expect(svg.stdout.match(/class="node"/g)).toHaveLength(declared);
    expect(svg.stdout.match(/class="edge[^"]*"/g)).toHaveLength(linked);
    // The pods the capture names are drawn as their controllers; the client outside the cluster as its address.
    expect(svg.stdout).toContain('>checkout&#45;service</text>');
    expect(svg.stdout).not.toContain('x2kqp');
    expect(svg.stdout).toContain('>203.0.113.9</text>');
  });

  it('writes the same graph as a mermaid flowchart', () => {
    const r = runCli(['simulate', ...DEMO, '-o', 'mermaid']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('%% ambient-bench traffic graph: 14 nodes, 10 edges, 14 flows');
    expect(lines[1]).toBe('flowchart LR');
    expect(lines.filter((l) => l.startsWith('  linkStyle '))).toHaveLength(11);
  });

  it('keeps --fail-on working with a graph format', () => {
    expect(runCli(['simulate', ...DEMO, '-o', 'mermaid', '--fail-on', 'deny']).code).toBe(1);
  });
});

describe('ambient-bench diff -o markdown', () => {
  it('embeds the mermaid chart of the edges whose flows changed verdict or encryption', () => {
    const r = runCli(['diff', '-f', 'scenarios/demo/cluster', '--what-if', 'scenarios/captured-traffic-frontend-strict/scenario.yaml', '--trace', 'traces/demo.pcap', '-o', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    const chart = r.stdout.slice(r.stdout.indexOf('```mermaid\n'), r.stdout.indexOf('\n```\n', r.stdout.indexOf('```mermaid')));
    expect(chart).toContain('flowchart LR');
    // STRICT in frontend cuts off the one client outside the mesh: one edge, from its address to the storefront.
    expect(chart.match(/ ==>\|/g)).toHaveLength(1);
    expect(chart).toMatch(/n\d+>"203\.0\.113\.9"\]/);
    expect(chart).toContain('1 allowed → denied');
  });
});
