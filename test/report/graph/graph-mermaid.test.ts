import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyWhatIf, diffRuns, graphDirectory, parseWhatIf, prepareMesh, simulateFlows, type Cluster, type Flow } from '../../../src/index.js';
import { loadManifestFiles, readFlowsFile } from '../../../src/files.js';
import { trafficGraph } from '../../../src/report/graph/graph-builder.js';
import { diffGraph } from '../../../src/report/graph/diff-graph.js';
import { MERMAID_LIMITS, renderDiffGraphMermaid, renderGraphMermaid } from '../../../src/report/graph/graph-mermaid.js';
import { mermaidText } from '../../../src/report/escape-mermaid.js';
import { hostileCluster, hostileFlows, hostileNames, twin } from '../escaping-fixtures.js';
import { plaintext, result } from '../../analysis/expect/result-fixtures.js';

/** A quoted label as the renderer writes it: entity codes and `<br/>` line breaks, nothing that ends the quotes. */
const LABEL = '"(?:[A-Za-z0-9 ./:,()+=@#;\\-\\u00a0-\\uffff]|<br/>)*"';
const ID = '[a-z]+[0-9]+';
/** Every statement the renderer writes, one per line. */
const STATEMENTS = [
  /^%% [^\n]*$/,
  /^flowchart LR$/,
  new RegExp(`^  note[0-9]+\\[${LABEL}\\]$`),
  new RegExp(`^  subgraph g[0-9]+\\[${LABEL}\\]$`),
  /^ {2}end$/,
  new RegExp(`^ {2,4}${ID}(?:\\[${LABEL}\\]|\\(\\[${LABEL}\\]\\)|\\{\\{${LABEL}\\}\\}|\\[\\(${LABEL}\\)\\]|>${LABEL}\\]|\\[\\[${LABEL}\\]\\])$`),
  new RegExp(`^  ${ID} (?:-->|-\\.->|==>|-\\.-)\\|${LABEL}\\| ${ID}$`),
  /^ {2}linkStyle [0-9]+ stroke:#[0-9a-f]{6},stroke-width:[0-9]px(?:,stroke-dasharray:2 4)?$/,
];

/** The lines of a chart that are not one of its statements (empty when the chart is well formed). */
function strayLines(chart: string): string[] {
  return chart.trimEnd().split('\n').filter((line) => !STATEMENTS.some((s) => s.test(line)));
}

const links = (chart: string) => chart.split('\n').filter((l) => /^ {2}[a-z]+[0-9]+ (?:-->|-\.->|==>|-\.-)/.test(l)).length;
const styles = (chart: string) => chart.split('\n').filter((l) => l.startsWith('  linkStyle ')).length;

let cluster: Cluster;
let flows: readonly Flow[];
beforeAll(async () => {
  cluster = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
  flows = (await readFlowsFile('scenarios/demo/flows.yaml')).flows;
});

describe('mermaidText() writes a name as mermaid label text', () => {
  it.each([
    ['a plain name unchanged', 'orders/checkout-service', 'orders/checkout-service'],
    ['a quote, brackets and a pipe as entity codes', 'a"[b]|c', 'a#34;#91;b#93;#124;c'],
    ['markup and comments as entity codes', '<b>`x`</b> %% ; #', '#60;b#62;#96;x#96;#60;/b#62; #37;#37; #59; #35;'],
    ['a newline as its escape, its backslash coded', 'a\nb', 'a#92;x0ab'],
    ['letters beyond ASCII unchanged', 'zürich·→', 'zürich·→'],
  ])('writes %s', (_what, value, text) => {
    expect(mermaidText(value)).toBe(text);
  });
});

describe('renderGraphMermaid() writes the traffic graph as a mermaid flowchart', () => {
  it('matches the golden chart of the demo cluster and flows', async () => {
    const g = trafficGraph(simulateFlows(cluster, flows).results, graphDirectory([prepareMesh(cluster).mesh]));
    const chart = renderGraphMermaid(g);
    await expect(chart).toMatchFileSnapshot('golden/demo.mmd');
    expect(strayLines(chart)).toEqual([]);
    expect(chart.match(/^ {2}subgraph /gm)).toHaveLength(g.namespaces.filter((n) => n.namespace !== null).length);
    expect(links(chart)).toBe(g.edges.length + 1);
    expect(styles(chart)).toBe(links(chart));
  });

  it('keeps hostile names inside their labels: every line is one of its statements, as for plain names', () => {
    fc.assert(fc.property(hostileNames, fc.boolean(), (n, withDeny) => {
      const hostile = renderGraphMermaid(trafficGraph(simulateFlows(hostileCluster(n, withDeny), hostileFlows(n)).results));
      const plain = renderGraphMermaid(trafficGraph(simulateFlows(hostileCluster(twin(n), withDeny), hostileFlows(twin(n))).results));
      expect(strayLines(hostile)).toEqual([]);
      expect(hostile.split('\n').length).toBe(plain.split('\n').length);
      expect(links(hostile)).toBe(links(plain));
    }), { numRuns: 200, seed: 14 });
  });

  it('collapses a graph too large to draw to namespaces, says so, and stays within GitHub\'s limits', () => {
    const results = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? plaintext : result)(`f${i}`, {
      source: `team-${i % 40}/client-${i % 300}`, destination: `svc-${i % 13}/api-${i % 50}:80`,
    }));
    const g = trafficGraph(results);
    expect(g.nodes.length).toBeGreaterThan(MERMAID_LIMITS.maxNodes);
    const chart = renderGraphMermaid(g);
    expect(strayLines(chart)).toEqual([]);
    expect(chart).toContain('shown by namespace (-o dot draws every node)');
    expect(chart.match(/^ {2}note0\[/m)).not.toBeNull();
    expect(links(chart)).toBeLessThanOrEqual(MERMAID_LIMITS.maxEdges);
    expect(links(chart)).toBeLessThan(500);
    expect(chart.length).toBeLessThan(50_000);
    // 40 client namespaces to 13 Service namespaces: at most 40 x 13 namespace edges, and the flows all counted.
    expect(chart).toContain(`${g.nodes.length} nodes and ${g.edges.length} edges`);
  });

  it('draws only the edges with the most flows when even the namespaces have too many, and says so', () => {
    const results = Array.from({ length: 900 }, (_, i) => result(`f${i}`, { source: `a-${i % 30}/c`, destination: `b-${Math.floor(i / 30)}/s:80` }));
    const chart = renderGraphMermaid(trafficGraph(results), { maxNodes: 80, maxEdges: 200 });
    expect(links(chart)).toBe(200);
    expect(chart).toContain('only the 200 edges with the most flows of 900 are drawn');
    expect(strayLines(chart)).toEqual([]);
  });
});

describe('renderDiffGraphMermaid() writes the graph of a diff', () => {
  it('draws the changed edges thick, and with onlyChanged nothing else', () => {
    const before = prepareMesh(cluster);
    const after = prepareMesh(applyWhatIf(cluster, parseWhatIf([{ ambient: 'legacy' }, { peerAuthentication: { namespace: 'orders', mode: 'STRICT' } }]).steps).cluster);
    const g = diffGraph(diffRuns(before, after, flows), graphDirectory([before.mesh, after.mesh]));
    const changed = g.edges.filter((e) => e.change === 'changed').length;
    expect(changed).toBeGreaterThan(0);
    const all = renderDiffGraphMermaid(g);
    const only = renderDiffGraphMermaid(g, { onlyChanged: true });
    for (const chart of [all, only]) expect(strayLines(chart)).toEqual([]);
    expect((only.match(/ ==>\|/g) ?? []).length).toBe(changed);
    expect((only.match(/ -\.->\|/g) ?? []).length).toBe(0);
    expect((all.match(/ ==>\|/g) ?? []).length + (all.match(/ -\.->\|/g) ?? []).length).toBe(g.edges.length);
  });
});

describe('renderGraphMermaid() stays within mermaid\'s limits whatever the graph', () => {
  it('draws 500 namespaces by their busiest edges, only the nodes those edges join, under 50,000 characters', () => {
    const results = Array.from({ length: 5000 }, (_, i) => result(`f${i}`, { source: `ns-${i % 500}/c`, destination: `ns-${(i * 7) % 500}/s:80` }));
    const chart = renderGraphMermaid(trafficGraph(results));
    expect(strayLines(chart)).toEqual([]);
    expect(links(chart)).toBeLessThanOrEqual(MERMAID_LIMITS.maxEdges);
    expect(chart.match(/^ {2}subgraph /gm)?.length ?? 0).toBeLessThanOrEqual(2 * MERMAID_LIMITS.maxEdges);
    expect(chart.length).toBeLessThan(50_000);
    expect(chart).toContain('edges with the most flows of 500 are drawn');
  });

  it('keeps fewer edges when long names would take the chart over mermaid\'s text limit', () => {
    const long = 'x'.repeat(250);
    const results = Array.from({ length: 150 }, (_, i) => result(`f${i}`, { source: `a/${long}-${i}`, destination: `b/${long}-${i}:80`, policy: `p/${long}` }));
    const chart = renderGraphMermaid(trafficGraph(results), { maxNodes: 400, maxEdges: 200 });
    expect(chart.length).toBeLessThan(50_000);
    expect(strayLines(chart)).toEqual([]);
    expect(chart).toMatch(/only the \d+ edges with the most flows of 150 are drawn/);
  });
});
