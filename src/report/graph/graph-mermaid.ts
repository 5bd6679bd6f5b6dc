import type { DiffGraph, DiffGraphEdge, GraphEdge, GraphNode, GraphNodeKind, NamespaceGroup, TrafficGraph } from './traffic-graph.js';
import { compareText } from './edge-tally.js';
import { mermaidText } from '../escape-mermaid.js';
import { namespaceGraph } from './namespace-graph.js';
import { groupsOf } from './graph-builder.js';
import { waypointLinks } from './waypoint-links.js';
import { CHANGE_COLOUR, diffEdgeLines, nodeLines, tallyText, VERDICT_COLOUR } from './graph-labels.js';

/**
 * How large a graph mermaid draws readably and GitHub renders: above `maxNodes` nodes or `maxEdges`
 * edges the graph is collapsed to namespaces, and above `maxEdges` after that only the edges with the
 * most flows are drawn. GitHub's mermaid refuses more than 500 edges and 50,000 characters
 * (mermaid's `maxEdges` and `maxTextSize` defaults); these limits stay well below both.
 */
export interface MermaidLimits {
  readonly maxNodes: number;
  readonly maxEdges: number;
}

export const MERMAID_LIMITS: MermaidLimits = { maxNodes: 80, maxEdges: 200 };

/** Node shapes: workloads rectangles, Services stadiums, waypoints hexagons, nodes cylinders, addresses flags. */
const SHAPE: Record<GraphNodeKind, readonly [string, string]> = {
  workload: ['[', ']'], service: ['([', '])'], waypoint: ['{{', '}}'], 'k8s-node': ['[(', ')]'], address: ['>', ']'], namespace: ['[[', ']]'],
};

/**
 * `-o mermaid`: the traffic graph as a mermaid flowchart (GitHub renders it in markdown), namespaces as
 * subgraphs; edges solid for mTLS and dotted otherwise, coloured by verdict as in the DOT report. A
 * graph over the limits is collapsed to namespaces, and the chart says so in a note; a chart longer
 * than mermaid's text limit keeps fewer edges, the ones with the most flows. Every name is
 * written through `mermaidText` (entity codes), so no name can end a label or start a statement.
 */
export function renderGraphMermaid(graph: TrafficGraph, limits: MermaidLimits = MERMAID_LIMITS): string {
  const collapsed = graph.nodes.length > limits.maxNodes || graph.edges.length > limits.maxEdges;
  const drawn = collapsed ? namespaceGraph(graph) : graph;
  const ranked = [...drawn.edges].sort((a, b) => b.flows - a.flows || compareText(a.id, b.id));
  // Fewer edges until the chart fits mermaid's text limit (labels of hostile length can make it long).
  for (let keep = Math.min(ranked.length, limits.maxEdges); ; keep = Math.floor(keep / 2)) {
    const kept = new Set(ranked.slice(0, keep).map((e) => e.id));
    const text = trafficChart(graph, drawn, drawn.edges.filter((e) => kept.has(e.id)), collapsed);
    if (text.length <= MAX_TEXT || keep <= 1) return text;
  }
}

/** The longest chart written: below the 50,000 characters of mermaid's default `maxTextSize`. */
const MAX_TEXT = 45_000;

/** The chart of `edges` of `drawn` (the graph, or its namespaces), with notes on what was left out. */
function trafficChart(graph: TrafficGraph, drawn: TrafficGraph, edges: readonly GraphEdge[], collapsed: boolean): string {
  const notes: string[] = [];
  if (collapsed) notes.push(`${graph.nodes.length} nodes and ${graph.edges.length} edges are more than this chart draws: shown by namespace (-o dot draws every node)`);
  if (edges.length < drawn.edges.length) notes.push(`only the ${edges.length} edges with the most flows of ${drawn.edges.length} are drawn`);
  const used = new Set(edges.flatMap((e) => [e.source, e.target, ...e.waypoints]));
  const nodes = edges.length < drawn.edges.length ? drawn.nodes.filter((n) => used.has(n.id)) : drawn.nodes;
  const flows = graph.edges.reduce((n, e) => n + e.flows, 0);
  const lines = chart(`ambient-bench traffic graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges, ${flows} flows`, nodes, groupsOf(nodes).namespaces, notes);
  const ids = positions(nodes);
  const styles: string[] = [];
  for (const e of edges) {
    lines.push(`  ${ids.get(e.source)} ${e.encryption === 'mtls' ? '-->' : '-.->'}|"${mermaidText(tallyText(e))}"| ${ids.get(e.target)}`);
    styles.push(`stroke:${VERDICT_COLOUR[e.verdict]},stroke-width:${e.flows >= 100 ? 3 : 2}px`);
  }
  finish(lines, styles, waypointLinks(edges.map((e) => ({ target: e.target, tallies: [e] }))), ids);
  return `${lines.join('\n')}\n`;
}

/**
 * The graph of a diff as a mermaid flowchart: each edge that differs, red and thick where a flow
 * changed verdict or encryption. `onlyChanged` keeps those edges alone (the chart `diff -o markdown`
 * embeds). Above `maxEdges` (or mermaid's text limit) the edges with the most changed flows are
 * drawn, and the chart says so.
 */
export function renderDiffGraphMermaid(graph: DiffGraph, options: { readonly onlyChanged?: boolean; readonly limits?: MermaidLimits } = {}): string {
  const limits = options.limits ?? MERMAID_LIMITS;
  const wanted = options.onlyChanged === true ? graph.edges.filter((e) => e.change === 'changed') : graph.edges;
  const ranked = [...wanted].sort((a, b) => changedFlows(b) - changedFlows(a) || compareText(a.id, b.id));
  for (let keep = Math.min(ranked.length, limits.maxEdges); ; keep = Math.floor(keep / 2)) {
    const kept = new Set(ranked.slice(0, keep).map((e) => e.id));
    const text = diffChart(graph, wanted.filter((e) => kept.has(e.id)), wanted.length);
    if (text.length <= MAX_TEXT || keep <= 1) return text;
  }
}

function diffChart(graph: DiffGraph, edges: readonly DiffGraphEdge[], wanted: number): string {
  const notes = edges.length < wanted ? [`only the ${edges.length} edges with the most changed flows of ${wanted} are drawn`] : [];
  const used = new Set(edges.flatMap((e) => [e.source, e.target, ...(e.before?.waypoints ?? []), ...(e.after?.waypoints ?? [])]));
  const nodes = graph.nodes.filter((n) => used.has(n.id));
  const changed = graph.edges.filter((e) => e.change === 'changed').length;
  const lines = chart(`ambient-bench diff graph: ${graph.edges.length} edges differ, ${changed} with flows that changed verdict or encryption`, nodes, groupsOf(nodes).namespaces, notes);
  const ids = positions(nodes);
  const styles: string[] = [];
  for (const e of edges) {
    lines.push(`  ${ids.get(e.source)} ${e.change === 'changed' ? '==>' : '-.->'}|"${diffEdgeLines(e).map(mermaidText).join('<br/>')}"| ${ids.get(e.target)}`);
    styles.push(`stroke:${CHANGE_COLOUR[e.change]},stroke-width:${e.change === 'changed' ? 3 : 1}px`);
  }
  finish(lines, styles, waypointLinks(edges.map((e) => ({ target: e.target, tallies: [e.before, e.after] }))), ids);
  return `${lines.join('\n')}\n`;
}

function changedFlows(e: DiffGraphEdge): number {
  return e.allowedToDenied + e.deniedToAllowed + e.encryptedToPlaintext + e.plaintextToEncrypted;
}

/** The chart's head: a comment, the flowchart line, the notes, and the nodes in their namespaces. */
function chart(comment: string, nodes: readonly GraphNode[], groups: readonly NamespaceGroup[], notes: readonly string[]): string[] {
  const lines = [`%% ${mermaidText(comment)}`, 'flowchart LR'];
  notes.forEach((note, i) => lines.push(`  note${i}["${mermaidText(`note: ${note}`)}"]`));
  const ids = positions(nodes);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  groups.forEach((g, i) => {
    const indent = g.namespace === null ? '  ' : '    ';
    if (g.namespace !== null) lines.push(`  subgraph g${i}["${mermaidText(`namespace ${g.namespace}`)}"]`);
    for (const id of g.nodes) {
      const n = byId.get(id) as GraphNode;
      const [open, close] = SHAPE[n.kind];
      lines.push(`${indent}${ids.get(id)}${open}"${nodeLines(n).map(mermaidText).join('<br/>')}"${close}`);
    }
    if (g.namespace !== null) lines.push('  end');
  });
  return lines;
}

/** The waypoints' links to what they serve, then one `linkStyle` per edge in the order drawn. */
function finish(lines: string[], styles: string[], links: readonly [string, string][], ids: ReadonlyMap<string, string>): void {
  for (const [w, t] of links) {
    if (!ids.has(w) || !ids.has(t)) continue;
    lines.push(`  ${ids.get(w)} -.-|"serves"| ${ids.get(t)}`);
    styles.push('stroke:#9e9e9e,stroke-width:1px,stroke-dasharray:2 4');
  }
  styles.forEach((s, i) => lines.push(`  linkStyle ${i} ${s}`));
}

function positions(nodes: readonly GraphNode[]): Map<string, string> {
  return new Map(nodes.map((n, i) => [n.id, `n${i}`]));
}
