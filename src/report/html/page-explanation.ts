import type { PageContext, PageElement } from './page-dom.js';

/**
 * The explanation of one flow: its outcome, the deciding step, hops and steps with the nearest miss
 * (and for a diff, the outcome before the change as well). Returns the function that shows a flow.
 * Self-contained: its source is embedded in the report.
 */
export function pageExplanation(ctx: PageContext, host: PageElement): (flow: number) => void {
  const W = ctx.data.layout.classWidth;
  const F = ctx.data.layout.classFields;
  host.appendChild(ctx.el('p', 'hint', 'Click a flow in the table to see why it was allowed or denied.'));
  const outcome = (cls: number, title: string): PageElement => {
    const v = ctx.view;
    const field = (f: number): number => v.classes[cls * W + f] ?? -1;
    const box = ctx.el('div', 'outcome');
    box.appendChild(ctx.el('h3', '', title));
    const denied = field(F.denied) === 1;
    box.appendChild(ctx.el('p', denied ? 'verdict denied' : 'verdict allowed', `${denied ? 'DENY' : 'ALLOW'} · ${field(F.encrypted) === 1 ? 'mTLS' : 'plaintext'}`));
    const facts = ctx.el('dl');
    const rule = field(F.rule);
    const decider = [ctx.text(field(F.component)), ctx.text(field(F.deciderName))].filter(Boolean).join(' ');
    const rows: [string, string][] = [
      ['decided by', decider], ['policy', ctx.text(field(F.policy)) ? `${ctx.text(field(F.policy))}${rule >= 0 ? ` rule ${rule}` : ''}` : '(none)'],
      ['reason', ctx.text(field(F.reason))], ['why', ctx.text(field(F.decision))],
    ];
    for (const [k, value] of rows) { facts.appendChild(ctx.el('dt', '', k)); facts.appendChild(ctx.el('dd', '', value)); }
    box.appendChild(facts);
    box.appendChild(evidence(field(F.explanation)));
    return box;
  };
  const evidence = (index: number): PageElement => {
    const all = ctx.data.explanations;
    const hopCount = all[index] ?? 0;
    const e = { hops: all.slice(index + 2, index + 2 + hopCount), steps: all.slice(index + 2 + hopCount, index + 2 + hopCount + (all[index + 1] ?? 0)) };
    const part = ctx.el('div', 'evidence');
    part.appendChild(ctx.el('h4', '', 'hops'));
    const hops = ctx.el('ol', 'hops');
    const hop = (h: number, k: number): string => ctx.text(ctx.data.hops[h * ctx.data.layout.hopWidth + k] ?? -1);
    for (const h of e.hops) {
      const peer = hop(h, 3);
      hops.appendChild(ctx.el('li', '', `${hop(h, 0)} → ${hop(h, 1)} over ${hop(h, 2)}${peer ? `, peer ${peer}` : ', no peer identity'}`));
    }
    if (e.hops.length === 0) hops.appendChild(ctx.el('li', '', 'no hop: the flow went nowhere'));
    part.appendChild(hops);
    part.appendChild(ctx.el('h4', '', 'steps'));
    const steps = ctx.el('ol', 'steps');
    const step = (s: number, k: number): string => ctx.text(ctx.data.steps[s * ctx.data.layout.stepWidth + k] ?? -1);
    for (const s of e.steps) {
      const li = ctx.el('li', `step ${step(s, 1)}`);
      li.appendChild(ctx.el('span', 'at', step(s, 0)));
      li.appendChild(ctx.el('span', 'what', step(s, 2)));
      const miss = step(s, 4);
      if (miss) li.appendChild(ctx.el('span', 'near-miss', miss));
      steps.appendChild(li);
    }
    part.appendChild(steps);
    return part;
  };
  return (flow: number) => {
    const v = ctx.view;
    const cls = v.flowClass[flow] ?? 0;
    const field = (f: number): number => v.classes[cls * W + f] ?? -1;
    host.replaceChildren(ctx.el('h2', '', `flow ${v.ids[flow] ?? ''}`));
    host.appendChild(ctx.el('p', 'endpoints', `${ctx.text(field(F.source))} → ${ctx.text(field(F.destination))}`));
    const origin = ctx.text(v.origin?.[flow] ?? -1);
    if (origin) host.appendChild(ctx.el('p', 'origin', origin));
    const change = ctx.text(v.change?.[flow] ?? -1);
    if (change) host.appendChild(ctx.el('p', 'change', `change: ${change}`));
    const before = v.before?.[flow] ?? -1;
    if (before >= 0) host.appendChild(outcome(before, 'before'));
    host.appendChild(outcome(cls, before >= 0 ? 'after' : change === 'removed' ? 'before (removed after)' : 'outcome'));
    host.setAttribute('data-flow', v.ids[flow] ?? '');
  };
}
