/**
 * The data an HTML report embeds, in a compact encoding (types only): one string table, flows as
 * columns of numbers, and what many flows share (their outcome, their explanation) stored once.
 * Every `number` naming text is an index into `strings`; -1 stands for "none".
 */

/** Width of one flow class in {@link PageView.classes}; the offsets below index into it. */
export const CLASS_WIDTH = 14;

/** Offsets of a flow class's fields in {@link PageView.classes}. */
export const CLASS_FIELD = {
  source: 0,
  destination: 1,
  /** 1 deny, 0 allow. */
  denied: 2,
  /** 1 encrypted end to end, 0 not. */
  encrypted: 3,
  component: 4,
  deciderName: 5,
  policy: 6,
  /** The rule's number itself (not a string), or -1. */
  rule: 7,
  reason: 8,
  /** The sentence for the deciding step. */
  decision: 9,
  /** Index into {@link PageData.explanations}. */
  explanation: 10,
  sourceNamespace: 11,
  destinationNamespace: 12,
  /** Index into the view's graph edges, or -1 when the flow draws no edge. */
  edge: 13,
} as const;

/** Hops as 4 numbers each (from, to, transport, peer identity); steps as 5 (at, effect, text, policy, nearest miss). */
export interface PageExplanation {
  readonly hops: readonly number[];
  readonly steps: readonly number[];
}

export const HOP_WIDTH = 4;
export const STEP_WIDTH = 5;

/** `k8s-node`: a Kubernetes node as a traffic source (kubelet probes, host-network pods); `external`: an address outside the cluster's workloads. */
export type PageNodeKind = 'workload' | 'service' | 'waypoint' | 'k8s-node' | 'external';

/** A laid-out graph node: coordinates are the centre, in the SVG's user units. */
export interface PageNode {
  readonly id: string;
  readonly label: string;
  readonly kind: PageNodeKind;
  /** The namespace's group, or -1 outside every namespace. */
  readonly group: number;
  /** Kubernetes nodes the workload runs on, joined (empty when unknown). */
  readonly hosts: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PageGroup {
  readonly namespace: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type EdgeVerdict = 'allowed' | 'denied' | 'mixed';
export type EdgeEncryption = 'mtls' | 'plaintext' | 'mixed';

export interface PageEdge {
  /** Indices into {@link PageGraph.nodes}. */
  readonly from: number;
  readonly to: number;
  readonly verdict: EdgeVerdict;
  readonly encryption: EdgeEncryption;
  readonly flows: number;
  /**
   * Diff: `changed` (some flow changed verdict or encryption), `added` or `removed` (flows only after
   * or before), `other` (only deciding component, policy or reason changed); empty outside a diff.
   */
  readonly change: '' | 'changed' | 'added' | 'removed' | 'other';
  /** Polyline points x0, y0, x1, y1, ... */
  readonly points: readonly number[];
}

export interface PageGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PageNode[];
  readonly groups: readonly PageGroup[];
  readonly edges: readonly PageEdge[];
  /** Set when the graph was cut to stay readable: what was left out. */
  readonly note?: string;
}

/** A diff's change group: its title and how many flows it holds. */
export interface PageChangeGroup {
  readonly kind: string;
  readonly title: string;
  readonly count: number;
}

/** A scenario expectation with the flows that break it (indices into the view's flows). */
export interface PageExpectation {
  readonly title: string;
  readonly passed: boolean;
  readonly message: string;
  readonly checked: number;
  readonly flows: readonly number[];
}

/** One set of flows with its graph: the run of `simulate`, the diff, or one scenario of `check`. */
export interface PageView {
  readonly name: string;
  /** Label and value, shown in the header. */
  readonly summary: readonly (readonly [string, string])[];
  readonly ids: readonly string[];
  /** Per flow: its class (an offset / CLASS_WIDTH into `classes`). */
  readonly flowClass: readonly number[];
  readonly classes: readonly number[];
  /** Per flow: where it was recorded (string index or -1); absent when no flow was recorded. */
  readonly origin?: readonly number[];
  /** Diff: per flow, its change (string index: a change kind, `added` or `removed`). */
  readonly change?: readonly number[];
  /** Diff: per flow, the class of its result before the change, or -1. */
  readonly before?: readonly number[];
  readonly graph: PageGraph;
  readonly changeGroups?: readonly PageChangeGroup[];
  readonly expectations?: readonly PageExpectation[];
  readonly notes: readonly string[];
  readonly diagnostics: readonly string[];
}

export interface PageData {
  readonly command: 'simulate' | 'diff' | 'check';
  /** {@link CLASS_WIDTH} and {@link CLASS_FIELD}, carried along so the page's code needs no import. */
  readonly classWidth: number;
  readonly classFields: typeof CLASS_FIELD;
  readonly title: string;
  readonly strings: readonly string[];
  readonly explanations: readonly PageExplanation[];
  readonly views: readonly PageView[];
}
