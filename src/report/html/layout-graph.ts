import { Graph, layout } from '@dagrejs/dagre';
import type { PageGraph, PageGroup, PageNode, PageNodeKind } from './page-data.js';

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

interface Box { x: number; y: number; width: number; height: number }

const CHAR_WIDTH = 6.6;
const PADDING = 18;
const MARGIN = 20;
/** Room inside a namespace box: around its nodes, and above them for its name. */
const GROUP_PAD = 12;
const GROUP_LABEL = 20;

/**
 * Positions for the traffic graph, computed when the report is written, with dagre's layered
 * (Sugiyama) layout, traffic flowing left to right, in two levels: each namespace's nodes are laid
 * out inside their box (edges within the namespace), then the boxes and the nodes outside every
 * namespace are laid out as one graph (edges between them). Two plain layouts instead of one
 * compound graph, because dagre's compound layout throws on many real graphs ("Not possible to
 * find intersection inside of the rectangle") and takes seconds for a few hundred nodes; this
 * takes well under a second for hundreds. Done here rather than in the browser so the report
 * carries coordinates only, not the layout library, and opens without laying anything out.
 */
export function layoutGraph<E extends LayoutEdge>(nodes: readonly LayoutNode[], groups: readonly string[], edges: readonly E[]): Omit<PageGraph, 'edges' | 'note'> & { edges: (E & { points: number[] })[] } {
  const sizes = nodes.map(nodeSize);
  const inner = groups.map((_, g) => layoutGroup(nodes, sizes, edges, g));
  const top = new Graph({ multigraph: false });
  top.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 90, marginx: MARGIN, marginy: MARGIN });
  top.setDefaultEdgeLabel(() => ({}));
  const unit = (i: number): string => { const g = nodes[i]?.group ?? -1; return g >= 0 ? `group:${g}` : `node:${i}`; };
  inner.forEach((box, g) => { if (box.positions.size > 0) top.setNode(`group:${g}`, { width: box.width + 2 * GROUP_PAD, height: box.height + 2 * GROUP_PAD + GROUP_LABEL }); });
  nodes.forEach((n, i) => { if (n.group < 0) top.setNode(`node:${i}`, { ...sizes[i] }); });
  for (const e of edges) if (unit(e.from) !== unit(e.to)) top.setEdge(unit(e.from), unit(e.to));
  layout(top);
  const at = (name: string): Box => top.node(name) as unknown as Box;
  // A namespace without nodes has an empty box (the page draws none).
  const laidGroups: PageGroup[] = groups.map((namespace, g) => ({ namespace, ...(inner[g]?.positions.size ? rounded(at(`group:${g}`)) : { x: 0, y: 0, width: 0, height: 0 }) }));
  const laidNodes: PageNode[] = nodes.map((n, i) => {
    const size = sizes[i] as { width: number; height: number };
    if (n.group < 0) return { ...n, ...rounded({ ...at(`node:${i}`), ...size }) };
    const box = at(`group:${n.group}`);
    const p = inner[n.group]?.positions.get(i) ?? { x: 0, y: 0 };
    return { ...n, ...rounded({ x: box.x - box.width / 2 + GROUP_PAD + p.x, y: box.y - box.height / 2 + GROUP_PAD + GROUP_LABEL + p.y, ...size }) };
  });
  const size = top.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes: laidNodes, groups: laidGroups,
    edges: edges.map((e) => ({ ...e, points: edgePoints(laidNodes, e) })),
  };
}

function nodeSize(n: LayoutNode): { width: number; height: number } {
  const width = Math.max(n.label.length, n.hosts.length * 0.9) * CHAR_WIDTH + PADDING;
  return { width: Math.round(Math.min(width, 320)), height: n.hosts ? 38 : 26 };
}

/** The nodes of namespace `g` laid out by the edges among them; positions relative to the box's top left. */
function layoutGroup(nodes: readonly LayoutNode[], sizes: readonly { width: number; height: number }[], edges: readonly LayoutEdge[], g: number): { width: number; height: number; positions: Map<number, { x: number; y: number }> } {
  const graph = new Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 60, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  nodes.forEach((n, i) => { if (n.group === g) graph.setNode(String(i), { ...sizes[i] }); });
  for (const e of edges) if (e.from !== e.to && nodes[e.from]?.group === g && nodes[e.to]?.group === g) graph.setEdge(String(e.from), String(e.to));
  layout(graph);
  const positions = new Map<number, { x: number; y: number }>();
  for (const name of graph.nodes() as string[]) {
    const p = graph.node(name) as unknown as Box;
    positions.set(Number(name), { x: p.x, y: p.y });
  }
  const size = graph.graph() as { width?: number; height?: number };
  const laid = { width: size.width ?? 0, height: size.height ?? 0, positions };
  return laid.height > TALL * laid.width && positions.size > GRID_FROM ? gridOf([...positions.keys()], sizes) : laid;
}

/** A namespace whose layered layout is this many times taller than wide (few edges inside it) is laid out as a grid. */
const TALL = 2.5;
const GRID_FROM = 6;

/** Nodes in rows of equal cells, about as wide as tall, in the graph's node order (workloads, Services, waypoints). */
function gridOf(members: readonly number[], sizes: readonly { width: number; height: number }[]): { width: number; height: number; positions: Map<number, { x: number; y: number }> } {
  // A loop, not Math.max(...): a namespace may hold more nodes than one call's arguments.
  let cellWidth = 0;
  let cellHeight = 0;
  for (const i of members) {
    cellWidth = Math.max(cellWidth, sizes[i]?.width ?? 0);
    cellHeight = Math.max(cellHeight, sizes[i]?.height ?? 0);
  }
  cellWidth += 14;
  cellHeight += 14;
  const columns = Math.max(1, Math.round(Math.sqrt((members.length * cellHeight) / cellWidth)));
  const positions = new Map<number, { x: number; y: number }>();
  members.forEach((i, k) => positions.set(i, { x: (k % columns) * cellWidth + cellWidth / 2, y: Math.floor(k / columns) * cellHeight + cellHeight / 2 }));
  return { width: columns * cellWidth, height: Math.ceil(members.length / columns) * cellHeight, positions };
}

/** A straight line between the borders of the two nodes, or for a flow to itself a small loop above the node. */
function edgePoints(nodes: readonly Box[], e: LayoutEdge): number[] {
  const a = nodes[e.from] as Box;
  const b = nodes[e.to] as Box;
  if (e.from === e.to) {
    const top = a.y - a.height / 2;
    return [a.x - 8, top, a.x - 14, top - 18, a.x + 14, top - 18, a.x + 8, top];
  }
  const start = border(a, b.x - a.x, b.y - a.y);
  const end = border(b, a.x - b.x, a.y - b.y);
  return [start.x, start.y, end.x, end.y].map(round);
}

/** Where a ray from the box's centre in direction (dx, dy) leaves the box. */
function border(box: Box, dx: number, dy: number): { x: number; y: number } {
  if (dx === 0 && dy === 0) return { x: box.x, y: box.y };
  const scale = 1 / Math.max(Math.abs(dx) / (box.width / 2), Math.abs(dy) / (box.height / 2));
  return { x: box.x + dx * scale, y: box.y + dy * scale };
}

const round = (n: number): number => Math.round(n * 10) / 10;
const rounded = (b: Box): Box => ({ x: round(b.x), y: round(b.y), width: round(b.width), height: round(b.height) });
