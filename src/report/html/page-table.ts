import type { PageContext, PageElement, PageEvent } from './page-dom.js';

/**
 * The table of flows, virtualised: a spacer as tall as every shown row, and only the rows in sight
 * (a pool of a few dozen elements) drawn, moved and refilled as it scrolls. A click on a row shows
 * that flow's explanation. Self-contained: its source is embedded in the report.
 */
export function pageTable(ctx: PageContext, host: PageElement): void {
  const ROW = 24;
  const v = ctx.view;
  const W = ctx.data.layout.classWidth;
  const F = ctx.data.layout.classFields;
  const field = (flow: number, f: number): number => v.classes[(v.flowClass[flow] ?? 0) * W + f] ?? -1;
  const decider = (flow: number): string => {
    const name = ctx.text(field(flow, F.deciderName));
    return name ? `${ctx.text(field(flow, F.component))} ${name}` : ctx.text(field(flow, F.component));
  };
  const policy = (flow: number): string => {
    const p = ctx.text(field(flow, F.policy));
    const rule = field(flow, F.rule);
    return p && rule >= 0 ? `${p} rule ${rule}` : p;
  };
  const columns: [string, (flow: number) => string][] = [
    ['id', (f) => v.ids[f] ?? ''],
    ['source', (f) => ctx.text(field(f, F.source))],
    ['destination', (f) => ctx.text(field(f, F.destination))],
    ['verdict', (f) => (field(f, F.denied) === 1 ? 'DENY' : 'ALLOW')],
    ['encryption', (f) => (field(f, F.encrypted) === 1 ? 'mTLS' : 'plaintext')],
    ['decided by', decider],
    ['policy', policy],
  ];
  if (v.change) { columns.push(['change', (f) => ctx.text(v.change?.[f] ?? -1)]); host.classList.add('diff'); }
  const head = ctx.el('div', 'row head');
  for (const [name] of columns) head.appendChild(ctx.el('span', '', name));
  const scroller = ctx.el('div', 'scroller');
  const spacer = ctx.el('div', 'spacer');
  scroller.appendChild(spacer);
  host.appendChild(head);
  host.appendChild(scroller);
  const pool: PageElement[] = [];
  const row = (k: number): PageElement => {
    let r = pool[k];
    if (!r) {
      r = ctx.el('div', 'row');
      r.setAttribute('tabindex', '0');
      for (let i = 0; i < columns.length; i++) r.appendChild(ctx.el('span'));
      spacer.appendChild(r);
      pool.push(r);
    }
    return r;
  };
  let drawn = -1;
  const draw = (): void => {
    const first = Math.floor(scroller.scrollTop / ROW);
    const count = Math.ceil((scroller.clientHeight || 480) / ROW) + 2;
    for (let k = 0; k < Math.max(count, pool.length); k++) {
      const flow = k < count ? ctx.shown[first + k] : undefined;
      const r = row(k);
      if (flow === undefined) { r.style.display = 'none'; continue; }
      r.style.display = '';
      r.style.transform = `translateY(${(first + k) * ROW}px)`;
      r.setAttribute('data-flow', String(flow));
      r.classList.toggle('denied', field(flow, F.denied) === 1);
      const cells = r.querySelectorAll('span');
      columns.forEach(([, value], i) => { const cell = cells[i]; if (cell) cell.textContent = value(flow); });
    }
    drawn = first;
  };
  let pending = false;
  scroller.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    ctx.win.requestAnimationFrame(() => { pending = false; if (Math.floor(scroller.scrollTop / ROW) !== drawn) draw(); });
  }, { passive: true });
  const pick = (e: PageEvent): void => {
    const flow = e.target?.closest('.row')?.dataset['flow'];
    if (flow !== undefined) ctx.select(Number(flow));
  };
  scroller.addEventListener('click', pick);
  scroller.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(e); });
  ctx.listeners.push(() => {
    spacer.style.height = `${ctx.shown.length * ROW}px`;
    scroller.scrollTop = 0;
    draw();
  });
}
