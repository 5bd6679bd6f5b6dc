import type { PageContext, PageElement } from './page-dom.js';

/**
 * What a report says beside its flows: a diff's change groups (a click filters the table to one),
 * a scenario's expectations with the flows that break them (a click explains one), the what-if's
 * notes and the diagnostics. Self-contained: its source is embedded in the report.
 */
export function pagePanels(ctx: PageContext, host: PageElement): void {
  const v = ctx.view;
  const list = (title: string, className: string): PageElement => {
    host.appendChild(ctx.el('h3', '', title));
    const ul = ctx.el('ul', className);
    host.appendChild(ul);
    return ul;
  };
  if (v.changeGroups) {
    const ul = list(v.changeGroups.length === 0 ? 'no flow changed' : 'changes', 'change-groups');
    for (const group of v.changeGroups) {
      const b = ctx.el('button', 'change-group', `${group.title}: ${group.count}`);
      b.setAttribute('data-change', group.kind);
      b.addEventListener('click', () => {
        const pick = host.closest('#report')?.querySelectorAll('select[data-filter="change"]')[0];
        if (pick) pick.value = group.kind;
        ctx.refilter();
      });
      ul.appendChild(ctx.el('li')).appendChild(b);
    }
  }
  if (v.expectations) {
    const ul = list('expectations', 'expectations');
    for (const e of v.expectations) {
      const li = ctx.el('li', e.passed ? 'passed' : 'failed');
      li.appendChild(ctx.el('span', 'status', e.passed ? 'passed' : 'FAILED'));
      li.appendChild(ctx.el('span', 'title', e.title));
      li.appendChild(ctx.el('span', 'message', e.passed ? `held over ${e.checked} flow${e.checked === 1 ? '' : 's'}` : e.message));
      if (e.flows.length > 0) {
        const flows = ctx.el('span', 'counterexamples');
        for (const f of e.flows) {
          const b = ctx.el('button', 'counterexample', v.ids[f] ?? '');
          b.addEventListener('click', () => ctx.select(f));
          flows.appendChild(b);
        }
        li.appendChild(flows);
      }
      ul.appendChild(li);
    }
  }
  if (v.notes.length > 0) {
    const ul = list('what-if', 'notes');
    for (const n of v.notes) ul.appendChild(ctx.el('li', '', n));
  }
  if (v.diagnostics.length > 0) {
    const ul = list('diagnostics', 'diagnostics');
    for (const d of v.diagnostics) ul.appendChild(ctx.el('li', '', d));
  }
}
