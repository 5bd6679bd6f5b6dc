import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutGraph, type LayoutNode } from '../../../src/report/html/layout-graph.js';

interface Box { x: number; y: number; width: number; height: number }

const overlap = (a: Box, b: Box): boolean =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width - 0.5 && Math.abs(a.y - b.y) * 2 < a.height + b.height - 0.5;
const inside = (inner: Box, outer: Box): boolean =>
  inner.x - inner.width / 2 >= outer.x - outer.width / 2 - 0.5 && inner.x + inner.width / 2 <= outer.x + outer.width / 2 + 0.5
  && inner.y - inner.height / 2 >= outer.y - outer.height / 2 - 0.5 && inner.y + inner.height / 2 <= outer.y + outer.height / 2 + 0.5;

/** Graphs of up to 60 nodes in up to 6 namespaces (or none), with any edges between them. */
const graphs = fc.integer({ min: 1, max: 6 }).chain((groups) => fc.record({
  groups: fc.constant(groups),
  nodes: fc.array(fc.record({ group: fc.integer({ min: -1, max: groups - 1 }), label: fc.string({ maxLength: 30 }), hosts: fc.constantFrom('', 'node-a', 'node-a, node-b') }), { minLength: 1, maxLength: 60 }),
})).chain((g) => fc.record({
  groups: fc.constant(g.groups),
  nodes: fc.constant(g.nodes),
  edges: fc.array(fc.record({ from: fc.nat(g.nodes.length - 1), to: fc.nat(g.nodes.length - 1) }), { maxLength: 120 }),
}));

describe('layoutGraph()', () => {
  it('puts every node inside its namespace box, and no two nodes or boxes over each other', () => {
    fc.assert(fc.property(graphs, (g) => {
      const nodes: LayoutNode[] = g.nodes.map((n, i) => ({ id: `n${i}`, kind: 'workload', ...n }));
      const laid = layoutGraph(nodes, Array.from({ length: g.groups }, (_, i) => `ns-${i}`), g.edges);
      laid.nodes.forEach((n, i) => {
        if (n.group >= 0) expect(inside(n, laid.groups[n.group] as Box)).toBe(true);
        expect(inside(n, { x: laid.width / 2, y: laid.height / 2, width: laid.width, height: laid.height })).toBe(true);
        for (const m of laid.nodes.slice(i + 1)) expect(overlap(n, m)).toBe(false);
      });
      laid.groups.forEach((a, i) => { for (const b of laid.groups.slice(i + 1)) expect(overlap(a, b)).toBe(false); });
      for (const n of laid.nodes.filter((x) => x.group < 0)) for (const b of laid.groups) expect(overlap(n, b)).toBe(false);
      expect(laid.edges.every((e) => e.points.length >= 4 && e.points.every(Number.isFinite))).toBe(true);
    }), { numRuns: 60 });
  });

  it('lays out a namespace with no edges inside as a grid, not one tall column', () => {
    const nodes: LayoutNode[] = Array.from({ length: 36 }, (_, i) => ({ id: `n${i}`, label: `svc-${i}`, kind: 'service', group: 0, hosts: '' }));
    const box = layoutGraph(nodes, ['ns'], []).groups[0] as Box;
    expect(box.height).toBeLessThan(box.width * 2);
  });
});
