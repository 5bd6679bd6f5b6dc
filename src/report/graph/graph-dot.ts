import type { DiffGraph, GraphNode, GraphNodeKind, NamespaceGroup, TrafficGraph } from './traffic-graph.js';
import { dotLines, dotString } from '../escape-dot.js';
import { waypointLinks } from './waypoint-links.js';
import { CHANGE_COLOUR, decisionText, diffEdgeLines, encryptionText, nodeLines, nodeTitle, tallyText, VERDICT_COLOUR, verdictText } from './graph-labels.js';

const SHAPE: Record<GraphNodeKind, string> = {
  workload: 'box', service: 'ellipse', waypoint: 'hexagon', 'k8s-node': 'box3d', address: 'note', namespace: 'folder',
};

/** What the DOT reports start with, after their comment line. */
const PREAMBLE = [
  '  graph [rankdir=LR, fontname="Helvetica", fontsize=11];',
  '  node [fontname="Helvetica", fontsize=10];',
  '  edge [fontname="Helvetica", fontsize=9];',
];

/**
 * `-o dot`: the traffic graph for Graphviz. Namespaces are clusters; workloads are boxes, Services
 * ellipses, waypoints hexagons, nodes and addresses outside; each node says which Kubernetes nodes
 * it runs on. Edges are coloured by verdict (green allowed, red denied, amber mixed) and drawn solid
 * for mTLS, dashed for plaintext, dotted for mixed. Node ids are positional (`n0`, ...); every name
 * is escaped (escape-dot.ts), so no name can end a string or add a statement.
 */
export function renderGraphDot(graph: TrafficGraph): string {
  const ids = positions(graph.nodes);
  const flows = graph.edges.reduce((n, e) => n + e.flows, 0);
  const out = [`// ambient-bench traffic graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${flows} flows`, 'digraph traffic {', ...PREAMBLE];
  // Appended line by line: a graph's lines grow with its nodes, past what one call's arguments hold.
  for (const line of clusters(graph.nodes, graph.namespaces, ids)) out.push(line);
  for (const e of graph.edges) {
    const style = e.encryption === 'mtls' ? 'solid' : e.encryption === 'plaintext' ? 'dashed' : 'dotted';
    const tip = `${e.id}: ${verdictText(e)}, ${encryptionText(e)}; ${decisionText(e)}`;
    out.push(`  ${ids.get(e.source)} -> ${ids.get(e.target)} [label=${dotString(tallyText(e))}, color=${dotString(VERDICT_COLOUR[e.verdict])}, style=${style}, penwidth=${penwidth(e.flows)}, tooltip=${dotString(tip)}];`);
  }
  for (const line of servesLinks(waypointLinks(graph.edges.map((e) => ({ target: e.target, tallies: [e] }))), ids)) out.push(line);
  out.push('}');
  return `${out.join('\n')}\n`;
}

/**
 * The graph of a diff for Graphviz: the nodes of both sides, one edge per edge that differs, red and
 * bold where a flow changed verdict or encryption, blue when only after, grey dashed otherwise; its
 * label says what changed and the edge before and after.
 */
export function renderDiffGraphDot(graph: DiffGraph): string {
  const ids = positions(graph.nodes);
  const changed = graph.edges.filter((e) => e.change === 'changed').length;
  const out = [`// ambient-bench diff graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges that differ, ${changed} with flows that changed verdict or encryption`, 'digraph diff {', ...PREAMBLE];
  // Appended line by line: a graph's lines grow with its nodes, past what one call's arguments hold.
  for (const line of clusters(graph.nodes, graph.namespaces, ids)) out.push(line);
  for (const e of graph.edges) {
    const style = e.change === 'changed' ? 'bold' : e.change === 'added' ? 'solid' : 'dashed';
    out.push(`  ${ids.get(e.source)} -> ${ids.get(e.target)} [label=${dotLines(diffEdgeLines(e))}, color=${dotString(CHANGE_COLOUR[e.change])}, style=${style}, penwidth=${e.change === 'changed' ? 3 : 1}, tooltip=${dotString(e.id)}];`);
  }
  for (const line of servesLinks(waypointLinks(graph.edges.map((e) => ({ target: e.target, tallies: [e.before, e.after] }))), ids)) out.push(line);
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Thin grey links from each waypoint to the destinations whose flows passed it. */
function servesLinks(links: readonly [string, string][], ids: ReadonlyMap<string, string>): string[] {
  return links.map(([w, t]) => `  ${ids.get(w)} -> ${ids.get(t)} [label="serves", color="#9e9e9e", style=dotted, arrowhead=empty, class="serves"];`);
}

function positions(nodes: readonly GraphNode[]): Map<string, string> {
  return new Map(nodes.map((n, i) => [n.id, `n${i}`]));
}

/** One cluster per namespace, its nodes inside; the nodes without namespace at the top level. */
function clusters(nodes: readonly GraphNode[], groups: readonly NamespaceGroup[], ids: ReadonlyMap<string, string>): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: string[] = [];
  groups.forEach((g, i) => {
    const indent = g.namespace === null ? '  ' : '    ';
    if (g.namespace !== null) out.push(`  subgraph cluster_${i} {`, `    label=${dotString(`namespace ${g.namespace}`)};`, '    style=rounded; color="#9e9e9e";');
    for (const id of g.nodes) {
      const n = byId.get(id) as GraphNode;
      out.push(`${indent}${ids.get(id)} [label=${dotLines(nodeLines(n))}, shape=${SHAPE[n.kind]}, tooltip=${dotString(nodeTitle(n))}];`);
    }
    if (g.namespace !== null) out.push('  }');
  });
  return out;
}

/** Thicker edges for more flows: 1 for one flow, up to 4 for 1,000 and more. */
function penwidth(flows: number): number {
  return Math.min(4, 1 + Math.floor(Math.log10(Math.max(1, flows))));
}
