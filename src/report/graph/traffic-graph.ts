import type { Enrollment } from '../../model/mesh.js';

/**
 * The traffic graph of a run (types only): who talked to whom, aggregated per (source, destination)
 * pair, with counts by verdict and encryption and the components and policies that decided. Built by
 * `TrafficGraphBuilder` (graph-builder.ts) from results as they stream; the DOT, mermaid and HTML
 * reports draw it. Every list is in a fixed order, so the same results give the same graph.
 */

/**
 * What a node stands for: a workload (a controller's pods, or a bare pod), a Service, a waypoint, a
 * Kubernetes node as a traffic source (kubelet probes, host-network pods), or an address outside the
 * cluster's workloads (out-of-mesh client, external host); `namespace` stands for a whole namespace
 * in a graph collapsed to namespaces (namespace-graph.ts).
 */
export type GraphNodeKind = 'workload' | 'service' | 'waypoint' | 'k8s-node' | 'address' | 'namespace';

export interface GraphNode {
  /** `<kind>:<name>`, e.g. `workload:orders/checkout`, `service:payments/api`, `address:203.0.113.9`. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** `namespace/name` for workloads, Services and waypoints; the node name or the IP otherwise. */
  readonly name: string;
  readonly namespace: string | null;
  /** The Kubernetes nodes the workload's (or waypoint's) pods run on, sorted; empty when unknown. */
  readonly k8sNodes: readonly string[];
  /** How a workload takes part in the mesh, when the mesh is known. */
  readonly enrollment?: Enrollment;
}

/** `mixed` when an edge carries both allowed and denied flows. */
export type EdgeVerdict = 'allowed' | 'denied' | 'mixed';

/** `mtls` when every flow was encrypted by the mesh on every hop (the result's `encrypted`). */
export type EdgeEncryption = 'mtls' | 'plaintext' | 'mixed';

/** The aggregate of the flows of one edge. */
export interface EdgeTally {
  readonly flows: number;
  readonly allowed: number;
  readonly denied: number;
  readonly encrypted: number;
  readonly plaintext: number;
  readonly verdict: EdgeVerdict;
  readonly encryption: EdgeEncryption;
  /** Destination ports the flows were addressed to, ascending. */
  readonly ports: readonly number[];
  /** Ids of the waypoint nodes the flows passed, sorted. */
  readonly waypoints: readonly string[];
  /** The deciding components, as `<component> <name>` (e.g. `waypoint payments/waypoint`) or `none`, sorted. */
  readonly decidedBy: readonly string[];
  /** The deciding policies (`namespace/name`, istiod's names), sorted; default allows add none. */
  readonly policies: readonly string[];
}

export interface GraphEdge extends EdgeTally {
  /** `<source id> -> <target id>`. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

/** The nodes of one namespace (ids, in node order); `null` gathers k8s nodes and addresses. */
export interface NamespaceGroup {
  readonly namespace: string | null;
  readonly nodes: readonly string[];
}

export interface TrafficGraph {
  /** Sorted by namespace (null last), kind, then name. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by source id, then target id. */
  readonly edges: readonly GraphEdge[];
  /** Namespaces in name order, the group without namespace last. */
  readonly namespaces: readonly NamespaceGroup[];
  /** Every Kubernetes node a node of the graph runs on (or that is a node itself), sorted. */
  readonly k8sNodes: readonly string[];
}

/** How an edge of a diff changed: `changed` when its flows changed verdict or encryption. */
export type EdgeChange = 'changed' | 'added' | 'removed' | 'other';

/** One edge of a diff: the flows of the edge before and after the change, joined on the edge id. */
export interface DiffGraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Null when no flow of the edge ran before (the edge is only after). */
  readonly before: EdgeTally | null;
  readonly after: EdgeTally | null;
  /** Flows of the edge that went from allowed to denied, and so on. */
  readonly allowedToDenied: number;
  readonly deniedToAllowed: number;
  readonly encryptedToPlaintext: number;
  readonly plaintextToEncrypted: number;
  /**
   * `changed`: some flow changed verdict or encryption; `added`/`removed`: flows only after/before;
   * `other`: flows changed only their deciding component, policy or reason.
   */
  readonly change: EdgeChange;
}

/** The graph of a diff: the nodes of both sides, the edges of the flows that differ. */
export interface DiffGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly DiffGraphEdge[];
  readonly namespaces: readonly NamespaceGroup[];
  readonly k8sNodes: readonly string[];
}
