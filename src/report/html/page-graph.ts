import type { PageContext, PageElement } from './page-dom.js';

/**
 * The traffic graph as SVG, from coordinates computed when the report was written: namespaces as
 * boxes, workloads, Services, waypoints and external endpoints as nodes (with the Kubernetes nodes
 * they run on), edges coloured by verdict and dashed when plaintext, changed edges of a diff drawn
 * wide. A click on an edge restricts the table to its flows. Self-contained: its source is embedded
 * in the report.
 */
export function pageGraph(ctx: PageContext, host: PageElement): void {
  const g = ctx.view.graph;
  const legend = ctx.el('div', 'legend');
  const keys = [['allowed', 'allowed'], ['denied', 'denied'], ['mixed', 'mixed'], ['plaintext', 'plaintext (dashed)']];
  if (g.edges.some((e) => e.change !== '')) keys.push(['changed', 'changed (wide)']);
  for (const [cls, label] of keys) {
    legend.appendChild(ctx.el('span', `key ${cls}`, label));
  }
  const zoom = { scale: 1 };
  const buttons = ctx.el('span', 'zoom');
  host.appendChild(legend);
  legend.appendChild(buttons);
  if (g.note) host.appendChild(ctx.el('p', 'note', g.note));
  const frame = ctx.el('div', 'graph-frame');
  host.appendChild(frame);
  const svg = ctx.svg('svg', { viewBox: `0 0 ${g.width} ${g.height}`, role: 'img', 'aria-label': 'traffic graph' });
  const resize = (): void => { svg.setAttribute('width', String(Math.ceil(g.width * zoom.scale))); svg.setAttribute('height', String(Math.ceil(g.height * zoom.scale))); };
  // Fit: the whole width in the frame, but never so small that names cannot be read.
  const fit = (): number => Math.min(1, Math.max(0.45, (frame.clientWidth - 4) / Math.max(1, g.width)));
  for (const [label, factor] of [['−', 0.8], ['+', 1.25], ['fit', 0]] as [string, number][]) {
    const b = ctx.el('button', '', label);
    b.addEventListener('click', () => { zoom.scale = factor === 0 ? fit() : Math.min(4, Math.max(0.1, zoom.scale * factor)); resize(); });
    buttons.appendChild(b);
  }
  frame.appendChild(svg);
  zoom.scale = fit();
  resize();
  const defs = ctx.svg('defs', {});
  for (const v of ['allowed', 'denied', 'mixed']) {
    const m = ctx.svg('marker', { id: `arrow-${v}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    m.appendChild(ctx.svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `head ${v}` }));
    defs.appendChild(m);
  }
  svg.appendChild(defs);
  for (const group of g.groups) {
    if (group.width === 0) continue;
    const box = ctx.svg('g', { class: 'namespace', 'data-namespace': group.namespace });
    box.appendChild(ctx.svg('rect', { x: group.x - group.width / 2, y: group.y - group.height / 2, width: group.width, height: group.height, rx: 8 }));
    const label = ctx.svg('text', { x: group.x - group.width / 2 + 8, y: group.y - group.height / 2 + 16 });
    label.textContent = group.namespace;
    box.appendChild(label);
    svg.appendChild(box);
  }
  const edges: PageElement[] = [];
  g.edges.forEach((e, i) => {
    const d = e.points.reduce((path, p, k) => path + (k % 2 === 0 ? `${k === 0 ? 'M' : ' L'} ${p}` : ` ${p}`), '');
    const from = g.nodes[e.from];
    const to = g.nodes[e.to];
    const line = ctx.svg('path', {
      d, class: `edge ${e.verdict} ${e.encryption === 'mixed' ? 'mixed-encryption' : e.encryption}${e.change && e.change !== 'other' ? ' changed' : ''}`, 'marker-end': `url(#arrow-${e.verdict})`,
      'data-edge': `${from?.id ?? ''} -> ${to?.id ?? ''}`, 'data-verdict': e.verdict, 'data-encryption': e.encryption, 'data-change': e.change,
    });
    const title = ctx.svg('title', {});
    title.textContent = `${from?.label ?? ''} → ${to?.label ?? ''}: ${e.flows} flow${e.flows === 1 ? '' : 's'}, ${e.verdict}, ${e.encryption}${e.change ? `, changed: ${e.change}` : ''}`;
    line.appendChild(title);
    line.addEventListener('click', () => { ctx.edge = ctx.edge === i ? -1 : i; ctx.refilter(); });
    svg.appendChild(line);
    edges.push(line);
  });
  for (const n of g.nodes) {
    const node = ctx.svg('g', { class: `node ${n.kind}`, 'data-node': n.id, 'data-kind': n.kind });
    node.appendChild(ctx.svg('rect', { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height, rx: n.kind === 'service' ? n.height / 2 : 4 }));
    const lines = [n.label, n.hosts].filter(Boolean);
    lines.forEach((text, k) => {
      const t = ctx.svg('text', { x: n.x, y: n.y + (k - (lines.length - 1) / 2) * 13 + 4, 'text-anchor': 'middle', class: k === 0 ? 'label' : 'host' });
      t.textContent = text;
      node.appendChild(t);
    });
    const title = ctx.svg('title', {});
    title.textContent = `${n.kind} ${n.id}${n.hosts ? ` on ${n.hosts}` : ''}`;
    node.appendChild(title);
    svg.appendChild(node);
  }
  ctx.listeners.push(() => edges.forEach((line, i) => line.classList.toggle('selected', ctx.edge === i)));
}
