import type { EdgeTally, GraphEdge, GraphNode, TrafficGraph } from './traffic-graph.js';
import { compareNodes, groupsOf } from './graph-builder.js';
import { compareText, encryptionOf, verdictOf } from './edge-tally.js';

/** The node every address outside the cluster's workloads collapses into. */
export const ANY_ADDRESS = 'address:*';

/**
 * The graph with each namespace as one node (`namespace:<ns>`), all Kubernetes nodes as one
 * (`k8s-node:*`) and all addresses as one (`address:*`): for graphs too large to draw node by node.
 * Edges between the same two groups are summed; an edge inside a namespace becomes a loop on it;
 * an edge's waypoints become their namespaces.
 */
export function namespaceGraph(graph: TrafficGraph): TrafficGraph {
  const groupOf = new Map<string, GraphNode>();
  for (const n of graph.nodes) groupOf.set(n.id, groupNode(n));
  const nodes = new Map<string, GraphNode>();
  for (const n of graph.nodes) {
    const g = groupOf.get(n.id) as GraphNode;
    const seen = nodes.get(g.id);
    nodes.set(g.id, { ...g, k8sNodes: [...new Set([...(seen?.k8sNodes ?? []), ...n.k8sNodes])].sort(compareText) });
  }
  const edges = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    const source = (groupOf.get(e.source) as GraphNode).id;
    const target = (groupOf.get(e.target) as GraphNode).id;
    const id = `${source} -> ${target}`;
    const seen = edges.get(id);
    const grouped = { ...e, id, source, target, waypoints: union(e.waypoints.map((w) => groupOf.get(w)?.id ?? w), []) };
    edges.set(id, seen ? { ...seen, ...sumTallies(seen, grouped) } : grouped);
  }
  const sorted = [...nodes.values()].sort(compareNodes);
  return { nodes: sorted, edges: [...edges.values()].sort((a, b) => compareText(a.source, b.source) || compareText(a.target, b.target)), ...groupsOf(sorted) };
}

function groupNode(n: GraphNode): GraphNode {
  if (n.namespace !== null) return { id: `namespace:${n.namespace}`, kind: 'namespace', name: n.namespace, namespace: n.namespace, k8sNodes: [] };
  if (n.kind === 'k8s-node') return { id: 'k8s-node:*', kind: 'k8s-node', name: '*', namespace: null, k8sNodes: [] };
  return { id: ANY_ADDRESS, kind: 'address', name: '*', namespace: null, k8sNodes: [] };
}

/** Two tallies as one: counts added, lists joined. */
export function sumTallies(a: EdgeTally, b: EdgeTally): EdgeTally {
  const allowed = a.allowed + b.allowed;
  const denied = a.denied + b.denied;
  const encrypted = a.encrypted + b.encrypted;
  const plaintext = a.plaintext + b.plaintext;
  return {
    flows: a.flows + b.flows, allowed, denied, encrypted, plaintext,
    verdict: verdictOf(allowed, denied), encryption: encryptionOf(encrypted, plaintext),
    ports: [...new Set([...a.ports, ...b.ports])].sort((x, y) => x - y),
    waypoints: union(a.waypoints, b.waypoints),
    decidedBy: union(a.decidedBy, b.decidedBy),
    policies: union(a.policies, b.policies),
  };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort(compareText);
}
