import type { FlowResult } from '../../model/result.js';
import type { GraphEdge, GraphNode, GraphNodeKind, NamespaceGroup, TrafficGraph } from './traffic-graph.js';
import { NO_DIRECTORY, type GraphDirectory } from './graph-directory.js';
import { deciderOf, destinationNode, sourceNode, stepNodes, waypointNodes, type EndpointNode } from './graph-endpoints.js';
import { compareText, countInto, freezeTally, newTally, type TallyCounter } from './edge-tally.js';

/** The endpoints and facts of a result that an edge needs, found once per distinct (source, destination) label pair. */
interface EdgeKey {
  readonly id: string;
  readonly source: EndpointNode;
  readonly target: EndpointNode;
  readonly port: number | null;
}

/**
 * Accumulates a traffic graph from results as they stream: memory grows with the distinct nodes
 * and edges, never with the number of flows (results are not kept). `add` every result, then
 * `graph()` (which may be called again after more results).
 */
export class TrafficGraphBuilder {
  private readonly nodes = new Map<string, GraphNodeDraft>();
  private readonly edges = new Map<string, { readonly key: EdgeKey; readonly tally: TallyCounter }>();
  private readonly keys = new Map<string, EdgeKey>();

  /** `directory` (graph-directory.ts) names workloads, Services and nodes as the mesh knows them. */
  constructor(private readonly directory: GraphDirectory = NO_DIRECTORY) {}

  /** Counts a result into its edge; returns the edge's id. */
  add(result: FlowResult): string {
    const key = this.edgeKey(result);
    for (const end of [key.source, key.target]) if (end.nodeFromStep !== undefined) this.addNodesOf(end.id, stepNodes(result, end.nodeFromStep));
    const waypoints = waypointNodes(result, this.directory);
    for (const w of waypoints) this.addNode(w);
    let edge = this.edges.get(key.id);
    if (!edge) {
      edge = { key, tally: newTally() };
      this.edges.set(key.id, edge);
    }
    countInto(edge.tally, result, { port: key.port, waypoints: waypoints.map((w) => w.id), decider: deciderOf(result) });
    return key.id;
  }

  graph(): TrafficGraph {
    const nodes = [...this.nodes.values()].map(freezeNode).sort(compareNodes);
    const edges: GraphEdge[] = [...this.edges.values()]
      .map(({ key, tally }) => ({ id: key.id, source: key.source.id, target: key.target.id, ...freezeTally(tally) }))
      .sort((a, b) => compareText(a.source, b.source) || compareText(a.target, b.target));
    return { nodes, edges, ...groupsOf(nodes) };
  }

  private edgeKey(result: FlowResult): EdgeKey {
    const label = `${result.source}\u0000${result.destination}`;
    const cached = this.keys.get(label);
    if (cached) return cached;
    const source = sourceNode(result, this.directory);
    const destination = destinationNode(result, this.directory);
    this.addNode(source);
    this.addNode(destination.node);
    const id = `${source.id} -> ${destination.node.id}`;
    const key = { id, source, target: destination.node, port: destination.port };
    this.keys.set(label, key);
    return key;
  }

  private addNode(node: EndpointNode): void {
    const draft = this.nodes.get(node.id);
    if (!draft) {
      const { nodeFromStep: _, ...rest } = node;
      this.nodes.set(node.id, { ...rest, k8sNodes: new Set(node.k8sNodes) });
      return;
    }
    for (const n of node.k8sNodes) draft.k8sNodes.add(n);
  }

  private addNodesOf(id: string, k8sNodes: readonly string[]): void {
    const draft = this.nodes.get(id);
    if (draft) for (const n of k8sNodes) draft.k8sNodes.add(n);
  }
}

/** The graph of a list of results (one builder, every result added). */
export function trafficGraph(results: Iterable<FlowResult>, directory: GraphDirectory = NO_DIRECTORY): TrafficGraph {
  const builder = new TrafficGraphBuilder(directory);
  for (const r of results) builder.add(r);
  return builder.graph();
}

type GraphNodeDraft = Omit<EndpointNode, 'k8sNodes' | 'nodeFromStep'> & { readonly k8sNodes: Set<string> };

function freezeNode(d: GraphNodeDraft): GraphNode {
  return { id: d.id, kind: d.kind, name: d.name, namespace: d.namespace, k8sNodes: [...d.k8sNodes].sort(compareText), ...(d.enrollment !== undefined ? { enrollment: d.enrollment } : {}) };
}

const KIND_ORDER: Record<GraphNodeKind, number> = { namespace: 0, workload: 1, service: 2, waypoint: 3, 'k8s-node': 4, address: 5 };

/** Namespace order (the nodes without one last), then kind, then name. */
export function compareNodes(a: GraphNode, b: GraphNode): number {
  if (a.namespace !== b.namespace) {
    if (a.namespace === null) return 1;
    if (b.namespace === null) return -1;
    return compareText(a.namespace, b.namespace);
  }
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareText(a.name, b.name);
}

/** The namespace groups and Kubernetes nodes of sorted nodes. */
export function groupsOf(nodes: readonly GraphNode[]): { namespaces: NamespaceGroup[]; k8sNodes: string[] } {
  const namespaces: { namespace: string | null; nodes: string[] }[] = [];
  const k8s = new Set<string>();
  for (const n of nodes) {
    const last = namespaces[namespaces.length - 1];
    if (last && last.namespace === n.namespace) last.nodes.push(n.id);
    else namespaces.push({ namespace: n.namespace, nodes: [n.id] });
    for (const k of n.k8sNodes) k8s.add(k);
  }
  return { namespaces, k8sNodes: [...k8s].sort(compareText) };
}
