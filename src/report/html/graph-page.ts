import type { FlowResult } from '../../model/result.js';
import type { ResultDiff } from '../../model/diff.js';
import { TrafficGraphBuilder } from '../graph/graph-builder.js';
import { diffGraph } from '../graph/diff-graph.js';
import { NO_DIRECTORY, type GraphDirectory } from '../graph/graph-directory.js';
import type { DiffGraph, EdgeEncryption, EdgeVerdict, GraphNode, TrafficGraph } from '../graph/traffic-graph.js';
import { layoutGraph, type LayoutNode } from './layout-graph.js';
import type { PageEdge, PageGraph, PageNodeKind } from './page-data.js';
import type { GraphTally } from './page-flows.js';

/**
 * Above this many nodes the graph keeps the nodes of its busiest edges only (and says so): a
 * layered layout of thousands of nodes neither finishes quickly nor reads.
 */
export const GRAPH_NODE_LIMIT = 600;
/** Likewise for edges: past this many, only the busiest are drawn. */
export const GRAPH_EDGE_LIMIT = 1500;

const KIND: Readonly<Record<string, PageNodeKind>> = { workload: 'workload', service: 'service', waypoint: 'waypoint', 'k8s-node': 'k8s-node', address: 'external' };

/** An edge of the traffic-graph model as the page draws it, before layout. */
interface DrawnEdge extends Omit<PageEdge, 'points' | 'from' | 'to'> {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

/** The traffic graph of a run, counted result by result (report/graph's builder), laid out for the page. */
export function trafficGraphTally(directory: GraphDirectory = NO_DIRECTORY): GraphTally {
  const builder = new TrafficGraphBuilder(directory);
  return { add: (r) => builder.add(r), page: () => { const graph = builder.graph(); return pageGraph(graph, drawnEdges(graph)); } };
}

/**
 * The graph of a diff (report/graph's diffGraph: the flows that differ, before and after, joined on
 * the edge); `add` gives a result's edge id without counting it again.
 */
export function diffGraphTally(diff: ResultDiff, directory: GraphDirectory = NO_DIRECTORY): GraphTally {
  const ids = new TrafficGraphBuilder(directory);
  const graph = diffGraph(diff, directory);
  return { add: (r: FlowResult) => ids.add(r), page: () => pageGraph(graph, diffEdges(graph)) };
}

function drawnEdges(graph: TrafficGraph): DrawnEdge[] {
  return graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, verdict: e.verdict, encryption: e.encryption, flows: e.flows, change: '' }));
}

function diffEdges(graph: DiffGraph): DrawnEdge[] {
  return graph.edges.map((e) => {
    const tally = e.after ?? e.before;
    const verdict: EdgeVerdict = tally?.verdict ?? 'mixed';
    const encryption: EdgeEncryption = tally?.encryption ?? 'mixed';
    return { id: e.id, source: e.source, target: e.target, verdict, encryption, flows: tally?.flows ?? 0, change: e.change };
  });
}

/** Nodes, namespace boxes and edges with coordinates, and each edge id's index. */
function pageGraph(graph: { readonly nodes: readonly GraphNode[] }, all: DrawnEdge[]): { graph: PageGraph; edgeIndex: Map<string, number> } {
  const { edges, nodes, note } = bounded(graph.nodes, all);
  const namespaces = [...new Set(nodes.flatMap((n) => (n.namespace === null ? [] : [n.namespace])))];
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const layoutNodes: LayoutNode[] = nodes.map((n) => ({
    id: n.id, label: labelOf(n), kind: KIND[n.kind] ?? 'workload', group: n.namespace === null ? -1 : namespaces.indexOf(n.namespace), hosts: hostsOf(n.k8sNodes),
  }));
  const placed = edges.map((e) => ({ id: e.id, from: nodeIndex.get(e.source) ?? 0, to: nodeIndex.get(e.target) ?? 0, verdict: e.verdict, encryption: e.encryption, flows: e.flows, change: e.change }));
  const laid = layoutGraph(layoutNodes, namespaces, placed);
  const edgeIndex = new Map(placed.map((e, i) => [e.id, i]));
  const pageEdges: PageEdge[] = laid.edges.map(({ id: _id, ...e }) => e);
  return { graph: { ...laid, edges: pageEdges, ...(note ? { note } : {}) }, edgeIndex };
}

/** At most GRAPH_NODE_LIMIT nodes and GRAPH_EDGE_LIMIT edges: the busiest edges first, with their nodes. */
function bounded(nodes: readonly GraphNode[], edges: DrawnEdge[]): { nodes: readonly GraphNode[]; edges: DrawnEdge[]; note?: string } {
  if (nodes.length <= GRAPH_NODE_LIMIT && edges.length <= GRAPH_EDGE_LIMIT) return { nodes, edges };
  const kept = new Set<string>();
  const keptEdges: DrawnEdge[] = [];
  for (const e of [...edges].sort((a, b) => b.flows - a.flows)) {
    if (keptEdges.length === GRAPH_EDGE_LIMIT) break;
    const extra = (kept.has(e.source) ? 0 : 1) + (kept.has(e.target) ? 0 : 1);
    if (kept.size + extra > GRAPH_NODE_LIMIT) continue;
    kept.add(e.source).add(e.target);
    keptEdges.push(e);
  }
  const note = `The graph shows the ${kept.size} nodes of the busiest ${keptEdges.length} of ${edges.length} edges (of ${nodes.length} nodes); the table lists every flow.`;
  const keep = new Set(keptEdges);
  return { nodes: nodes.filter((n) => kept.has(n.id)), edges: edges.filter((e) => keep.has(e)), note };
}

/** The name inside its namespace box (`checkout`, not `orders/checkout`). */
function labelOf(n: GraphNode): string {
  return n.namespace !== null && n.name.startsWith(`${n.namespace}/`) ? n.name.slice(n.namespace.length + 1) : n.name;
}

function hostsOf(k8sNodes: readonly string[]): string {
  return k8sNodes.length <= 3 ? k8sNodes.join(', ') : `${k8sNodes.slice(0, 3).join(', ')} +${k8sNodes.length - 3}`;
}
