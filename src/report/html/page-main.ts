import type { PageData } from './page-data.js';
import type { PageContext, PageDocument, PageElement, PageWindow } from './page-dom.js';
import type { pageDecode } from './page-decode.js';
import type { pageExpand } from './page-expand.js';
import type { pageExplanation } from './page-explanation.js';
import type { pageFilters } from './page-filters.js';
import type { pageGraph } from './page-graph.js';
import type { pagePanels } from './page-panels.js';
import type { pageTable } from './page-table.js';

/** The parts of the page, passed in so that each function's source stands alone in the file. */
export interface PageParts {
  readonly decode: typeof pageDecode;
  readonly expand: typeof pageExpand;
  readonly filters: typeof pageFilters;
  readonly table: typeof pageTable;
  readonly graph: typeof pageGraph;
  readonly explanation: typeof pageExplanation;
  readonly panels: typeof pagePanels;
}

/**
 * The report page: header, view choice (one per scenario for `check`), panels, graph, filters,
 * table and explanation. Self-contained (its source is embedded in the report): it uses only its
 * arguments and builds every element with textContent, never markup from data.
 */
export function pageMain(win: PageWindow, embedded: PageData, parts: PageParts): void {
  const data = parts.decode(embedded);
  const doc: PageDocument = win.document;
  doc.title = data.title;
  const el = (tag: string, className?: string, text?: string): PageElement => {
    const e = doc.createElement(tag);
    if (className) e.setAttribute('class', className);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = (tag: string, attributes: Record<string, string | number>): PageElement => {
    const e = doc.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
    return e;
  };
  const text = (i: number): string => (i >= 0 ? (data.strings[i] ?? '') : '');
  const root = doc.getElementById('report') as PageElement;
  const first = data.views[0];
  if (!first) return;
  const ctx: PageContext = {
    win, doc, data, view: parts.expand(data, first), text, el, svg, shown: new Int32Array(0), listeners: [], edge: -1,
    select: () => undefined, refilter: () => undefined,
  };
  const show = (index: number): void => {
    ctx.view = parts.expand(data, data.views[index] ?? first);
    ctx.listeners.length = 0;
    ctx.edge = -1;
    root.replaceChildren(header(ctx, index, show));
    const sections = ['panels', 'graph', 'flows', 'explanation'].map((id) => {
      const s = el('section', id);
      s.setAttribute('id', id);
      root.appendChild(s);
      return s;
    }) as [PageElement, PageElement, PageElement, PageElement];
    ctx.select = parts.explanation(ctx, sections[3]);
    parts.filters(ctx, sections[2]);
    parts.table(ctx, sections[2]);
    parts.graph(ctx, sections[1]);
    parts.panels(ctx, sections[0]);
    ctx.refilter();
  };
  const header = (c: PageContext, index: number, onPick: (i: number) => void): PageElement => {
    const h = el('header');
    h.appendChild(el('h1', '', data.title));
    if (data.views.length > 1) {
      const pick = el('select', 'view-pick');
      data.views.forEach((v, i) => {
        const o = el('option', '', v.name);
        o.setAttribute('value', String(i));
        pick.appendChild(o);
      });
      pick.value = String(index);
      pick.addEventListener('change', () => onPick(Number(pick.value)));
      h.appendChild(pick);
    } else h.appendChild(el('h2', '', c.view.name));
    const facts = el('dl', 'summary');
    for (const [label, value] of c.view.summary) {
      facts.appendChild(el('dt', '', label));
      facts.appendChild(el('dd', '', value));
    }
    h.appendChild(facts);
    return h;
  };
  show(0);
}
