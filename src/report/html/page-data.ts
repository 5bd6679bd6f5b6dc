/**
 * The data an HTML report embeds, in a compact encoding (types only): one string table, flows as
 * columns of numbers, and what many flows share (their outcome, their explanation) stored once.
 * Every `number` naming text is an index into `strings`; -1 stands for "none". In the file, every
 * array of numbers listed in {@link DELTA_COLUMNS} is delta-encoded column by column (each number
 * minus the one a row before it), which turns the mostly rising indices into short numbers, and
 * packed into one string of base-32 digits (delta-columns.ts); the page decodes them first
 * (page-decode.ts). The types describe the decoded data.
 */

/**
 * A flow class as the file carries it: what flows of one (source, destination, outcome, evidence)
 * share, 5 numbers. Its outcome is an index into {@link PageData.decisions}, its explanation into
 * {@link PageData.explanations}; its edge into the view's graph edges (-1: none).
 */
export const WIRE_CLASS = { source: 0, destination: 1, decision: 2, explanation: 3, edge: 4 } as const;
export const WIRE_CLASS_WIDTH = 5;

/** A decision as the file carries it, 8 numbers: denied and encrypted are 1 or 0, the rule a number or -1, the rest strings. */
export const WIRE_DECISION = { denied: 0, encrypted: 1, component: 2, deciderName: 3, policy: 4, rule: 5, reason: 6, decision: 7 } as const;
export const WIRE_DECISION_WIDTH = 8;

/** Width of one flow class as the page holds it, expanded from the file's classes and decisions. */
export const CLASS_WIDTH = 14;

/** Offsets of an expanded flow class's fields (the page adds the endpoints' namespaces). */
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
  /** Offset into {@link PageData.explanations}. */
  explanation: 10,
  sourceNamespace: 11,
  destinationNamespace: 12,
  /** Index into the view's graph edges, or -1 when the flow draws no edge. */
  edge: 13,
} as const;

/** The delta-encoded arrays (delta-columns.ts) and their row widths: of PageData, then of each PageView. */
export const DELTA_COLUMNS = {
  data: { decisions: WIRE_DECISION_WIDTH, hops: 4, steps: 5, explanations: 1 },
  view: { flowClass: 1, classes: WIRE_CLASS_WIDTH, origin: 1, change: 1, before: 1 },
} as const;

/** The layouts above, carried in the file so the page's code needs no import. */
export const PAGE_LAYOUT = {
  wireClass: WIRE_CLASS, wireClassWidth: WIRE_CLASS_WIDTH, wireDecision: WIRE_DECISION, wireDecisionWidth: WIRE_DECISION_WIDTH,
  classFields: CLASS_FIELD, classWidth: CLASS_WIDTH, hopWidth: 4, stepWidth: 5, delta: DELTA_COLUMNS,
  /** The digits packed numbers are written with (delta-columns.ts). */
  digits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
} as const;

/** An explanation: indices of its hops (into {@link PageData.hops}) and steps (into {@link PageData.steps}). */
export interface PageExplanation {
  readonly hops: readonly number[];
  readonly steps: readonly number[];
}

/** A hop is `hopWidth` (4) strings: from, to, transport, peer identity; a step `stepWidth` (5): at, effect, text, policy and rule, nearest miss. */

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
  /** Per flow: its class (an offset / WIRE_CLASS_WIDTH into `classes`). */
  readonly flowClass: readonly number[];
  /** Flow classes, WIRE_CLASS_WIDTH numbers each. */
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
  readonly title: string;
  readonly layout: typeof PAGE_LAYOUT;
  readonly strings: readonly string[];
  /** Decisions, WIRE_DECISION_WIDTH numbers each. */
  readonly decisions: readonly number[];
  /** Hops and steps, `layout.hopWidth` and `layout.stepWidth` strings each. */
  readonly hops: readonly number[];
  readonly steps: readonly number[];
  /** Explanations one after another, each `hop count, step count, hop indices..., step indices...`. */
  readonly explanations: readonly number[];
  readonly views: readonly PageView[];
}
