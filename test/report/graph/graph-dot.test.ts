import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyWhatIf, diffRuns, graphDirectory, parseWhatIf, prepareMesh, simulateFlows, type Cluster, type FlowResult } from '../../../src/index.js';
import { loadManifestFiles, readFlowsFile } from '../../../src/files.js';
import { trafficGraph } from '../../../src/report/graph/graph-builder.js';
import { diffGraph } from '../../../src/report/graph/diff-graph.js';
import { renderDiffGraphDot, renderGraphDot } from '../../../src/report/graph/graph-dot.js';
import { dotString } from '../../../src/report/escape-dot.js';
import type { DiffGraphEdge, TrafficGraph } from '../../../src/report/graph/traffic-graph.js';
import { diffEdgeLines } from '../../../src/report/graph/graph-labels.js';
import { escapeText } from '../../../src/report/escape-text.js';
import { hostileCluster, hostileFlows, hostileNames, rawControl, twin } from '../escaping-fixtures.js';
import { systemTool } from '../../support/system-tool.js';

const dot = systemTool('dot', 'graphviz');

/** What Graphviz drew: the titles (our ids) of its nodes and the `a->b` titles of its edges. */
function drawn(source: string): { nodes: string[]; edges: string[]; svg: string } {
  const r = dot.run(['-Tsvg'], source);
  if (r.status !== 0) throw new Error(`dot -Tsvg failed: ${r.stderr}`);
  const titles = (cls: string) => [...r.stdout.matchAll(new RegExp(`<g id="[a-z0-9]+" class="${cls}[^"]*">\\s*<title>([^<]*)</title>`, 'g'))].map((m) => m[1] as string);
  return { nodes: titles('node'), edges: titles('edge'), svg: r.stdout };
}

/** The texts of an SVG's `<text>` elements, entities decoded. */
function texts(svg: string): string[] {
  const decode = (t: string) => t.replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1] as string));
}

let cluster: Cluster;
let results: readonly FlowResult[];
let graph: TrafficGraph;
beforeAll(async () => {
  cluster = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
  results = simulateFlows(cluster, (await readFlowsFile('scenarios/demo/flows.yaml')).flows).results;
  graph = trafficGraph(results, graphDirectory([prepareMesh(cluster).mesh]));
});

describe('dotString() quotes a name for DOT', () => {
  it.each([
    ['plain', 'orders/checkout', '"orders/checkout"'],
    ['a quote', 'a"b', '"a\\"b"'],
    ['a backslash, which would start a Graphviz escape such as \\N', 'a\\Nb', '"a\\\\\\\\Nb"'],
    ['a newline, shown as its escape', 'a\nb', '"a\\\\x0ab"'],
  ])('escapes %s', (_what, value, quoted) => {
    expect(dotString(value)).toBe(quoted);
  });
});

describe('renderGraphDot() writes the traffic graph for Graphviz', () => {
  it('matches the golden graph of the demo cluster and flows', async () => {
    await expect(renderGraphDot(graph)).toMatchFileSnapshot('golden/demo.dot');
  });

  dot.it('is drawn by Graphviz with every node and edge, and the names as labels', () => {
    const svg = drawn(renderGraphDot(graph));
    expect(svg.nodes).toHaveLength(graph.nodes.length);
    // Every traffic edge, plus the link from the waypoint to the Service it serves.
    expect(svg.edges).toHaveLength(graph.edges.length + 1);
    const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
    for (const e of graph.edges) expect(svg.edges).toContain(`${ids.get(e.source)}&#45;&gt;${ids.get(e.target)}`);
    expect(svg.svg).toContain('>namespace fintech&#45;core</text>');
    expect(svg.svg).toContain('>waypoint payments&#45;waypoint</text>');
    expect(svg.svg).toContain('>on node&#45;c</text>');
    expect(svg.svg).toMatch(/stroke="#c62828"/);
    expect(svg.svg).toMatch(/stroke-dasharray/);
  });

  dot.it('keeps hostile names inside their labels: Graphviz draws the same nodes and edges as for plain names', () => {
    fc.assert(fc.property(hostileNames, (n) => {
      const hostile = renderGraphDot(trafficGraph(simulateFlows(hostileCluster(n, true), hostileFlows(n)).results));
      const plain = renderGraphDot(trafficGraph(simulateFlows(hostileCluster(twin(n), true), hostileFlows(twin(n))).results));
      expect(rawControl(hostile, false)?.[0].charCodeAt(0).toString(16) ?? null).toBe(null);
      expect(hostile.split('\n').length).toBe(plain.split('\n').length);
      const [h, p] = [drawn(hostile), drawn(plain)];
      expect(h.nodes.length).toBe(p.nodes.length);
      expect(h.edges.length).toBe(p.edges.length);
      expect(texts(h.svg)).toHaveLength(texts(p.svg).length);
      expect(texts(h.svg).map((t) => t.trim())).toContain(`namespace ${escapeText(`n${n.namespace}`)}`.trim());
    }), { numRuns: 25, seed: 14 });
  }, 60_000);
});

describe('renderDiffGraphDot() writes the graph of a diff for Graphviz', () => {
  dot.it('draws the edges that differ, the changed ones bold and red', async () => {
    const before = prepareMesh(cluster);
    const after = prepareMesh(applyWhatIf(cluster, parseWhatIf([{ ambient: 'legacy' }]).steps).cluster);
    const diff = diffRuns(before, after, (await readFlowsFile('scenarios/demo/flows.yaml')).flows);
    const g = diffGraph(diff, graphDirectory([before.mesh, after.mesh]));
    expect(g.edges.some((e) => e.change === 'changed')).toBe(true);
    const source = renderDiffGraphDot(g);
    const svg = drawn(source);
    expect(svg.nodes).toHaveLength(g.nodes.length);
    expect(svg.edges.length).toBeGreaterThanOrEqual(g.edges.length);
    const first = g.edges.find((e) => e.change === 'changed');
    expect(texts(svg.svg)).toContain(diffEdgeLines(first as DiffGraphEdge)[0]);
    expect(source.split('\n').filter((l) => l.includes('penwidth=3'))).toHaveLength(g.edges.filter((e) => e.change === 'changed').length);
  });
});
