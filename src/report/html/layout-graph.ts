import { Graph, layout } from '@dagrejs/dagre';
import type { PageGraph, PageNodeKind } from './page-data.js';

/** A node to lay out: what it shows, and the namespace box it sits in (-1: none). */
export interface LayoutNode {
  readonly id: string;
  readonly label: string;
  readonly kind: PageNodeKind;
  readonly group: number;
  readonly hosts: string;
}

export interface LayoutEdge {
  readonly from: number;
  readonly to: number;
}

const CHAR_WIDTH = 6.6;
const PADDING = 18;
const MARGIN = 20;
/** Height of a namespace's name above its box's nodes. */
const GROUP_LABEL = 18;

/**
 * Positions for the traffic graph, computed when the report is written, with dagre's layered
 * (Sugiyama) layout: traffic flows left to right, and each namespace is a compound node, so its
 * workloads, Services and waypoint stay in one box. Done here rather than in the browser so the
 * report carries coordinates only, not the layout library, and opens without laying anything out.
 */
export function layoutGraph<E extends LayoutEdge>(nodes: readonly LayoutNode[], groups: readonly string[], edges: readonly E[]): Omit<PageGraph, 'edges' | 'note'> & { edges: (E & { points: number[] })[] } {
  const g = new Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 70, edgesep: 8, marginx: MARGIN, marginy: MARGIN + GROUP_LABEL });
  g.setDefaultEdgeLabel(() => ({}));
  groups.forEach((_, i) => g.setNode(`group:${i}`, {}));
  nodes.forEach((n, i) => {
    const width = Math.max(n.label.length, n.hosts.length * 0.9) * CHAR_WIDTH + PADDING;
    g.setNode(`node:${i}`, { width: Math.min(width, 320), height: n.hosts ? 38 : 26 });
    if (n.group >= 0) g.setParent(`node:${i}`, `group:${n.group}`);
  });
  for (const e of edges) if (e.from !== e.to) g.setEdge(`node:${e.from}`, `node:${e.to}`);
  layout(g);
  const at = (name: string) => g.node(name) as unknown as { x: number; y: number; width: number; height: number };
  const laidNodes = nodes.map((n, i) => {
    const p = at(`node:${i}`);
    return { ...n, x: round(p.x), y: round(p.y), width: round(p.width), height: round(p.height) };
  });
  const laidGroups = groups.map((namespace, i) => {
    const p = at(`group:${i}`);
    // The box grows upwards to make room for the namespace's name above its nodes.
    return { namespace, x: round(p.x), y: round(p.y - GROUP_LABEL / 2), width: round(p.width), height: round(p.height + GROUP_LABEL) };
  });
  const laidEdges = edges.map((e) => ({ ...e, points: edgePoints(g, e, laidNodes) }));
  const size = g.graph() as { width?: number; height?: number };
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes: laidNodes, groups: laidGroups, edges: laidEdges };
}

/** The edge's route from dagre, or for a flow to itself a small loop above the node. */
function edgePoints(g: Graph, e: LayoutEdge, nodes: readonly { x: number; y: number; width: number; height: number }[]): number[] {
  if (e.from === e.to) {
    const n = nodes[e.from] as { x: number; y: number; width: number; height: number };
    const top = n.y - n.height / 2;
    return [n.x - 8, top, n.x - 14, top - 18, n.x + 14, top - 18, n.x + 8, top];
  }
  const points = (g.edge(`node:${e.from}`, `node:${e.to}`) as { points?: { x: number; y: number }[] } | undefined)?.points ?? [];
  return points.flatMap((p) => [round(p.x), round(p.y)]);
}

const round = (n: number): number => Math.round(n * 10) / 10;
