import type { PageContext, PageElement } from './page-dom.js';

/**
 * The filter bar (verdict, encryption, deciding component, namespace, policy, change for a diff, and
 * a search over ids, endpoints and policies); sets `ctx.refilter`, which computes `ctx.shown`: class
 * by class first (flows of one class share every field but the id), then flow by flow.
 * Self-contained: its source is embedded in the report.
 */
export function pageFilters(ctx: PageContext, host: PageElement): void {
  const v = ctx.view;
  const W = ctx.data.layout.classWidth;
  const F = ctx.data.layout.classFields;
  const classes = v.classes.length / W;
  const field = (c: number, f: number): number => v.classes[c * W + f] ?? -1;
  const distinct = (pick: (c: number) => number[]): string[] => {
    const seen = new Set<string>();
    for (let c = 0; c < classes; c++) for (const i of pick(c)) if (i >= 0) seen.add(ctx.text(i));
    return [...seen].sort();
  };
  const bar = ctx.el('div', 'filters');
  host.appendChild(bar);
  const choice = (name: string, label: string, options: [string, string][]): PageElement => {
    const s = ctx.el('select');
    s.setAttribute('data-filter', name);
    s.setAttribute('aria-label', label);
    for (const [value, shown] of [['', `${label}: all`] as [string, string], ...options]) {
      const o = ctx.el('option', '', shown);
      o.setAttribute('value', value);
      s.appendChild(o);
    }
    s.addEventListener('change', () => ctx.refilter());
    bar.appendChild(s);
    return s;
  };
  const named = (values: string[]): [string, string][] => values.map((x) => [x, x]);
  const verdict = choice('verdict', 'verdict', [['allow', 'allowed'], ['deny', 'denied']]);
  const encryption = choice('encryption', 'encryption', [['mtls', 'mTLS'], ['plaintext', 'plaintext']]);
  const component = choice('component', 'decided by', named(distinct((c) => [field(c, F.component)])));
  const namespace = choice('namespace', 'namespace', named(distinct((c) => [field(c, F.sourceNamespace), field(c, F.destinationNamespace)])));
  const policy = choice('policy', 'policy', [['-', '(no policy)'], ...named(distinct((c) => [field(c, F.policy)]))]);
  const changes = v.change ? [...new Set(v.change.filter((i) => i >= 0).map(ctx.text))].sort() : [];
  const change = v.change ? choice('change', 'change', named(changes)) : undefined;
  const search = ctx.el('input', 'search');
  search.setAttribute('type', 'search');
  search.setAttribute('placeholder', 'search ids, workloads, services, policies');
  search.setAttribute('data-filter', 'search');
  search.addEventListener('input', () => ctx.refilter());
  bar.appendChild(search);
  const edgeNote = ctx.el('button', 'edge-filter');
  edgeNote.addEventListener('click', () => { ctx.edge = -1; ctx.refilter(); });
  bar.appendChild(edgeNote);
  const count = ctx.el('span', 'count');
  bar.appendChild(count);
  const lowerIds: string[] = [];
  const classText: string[] = [];
  for (let c = 0; c < classes; c++) {
    classText.push([F.source, F.destination, F.policy, F.deciderName].map((f) => ctx.text(field(c, f))).join('\n').toLowerCase());
  }
  const classPasses = (c: number): boolean => {
    if (verdict.value && (field(c, F.denied) === 1) !== (verdict.value === 'deny')) return false;
    if (encryption.value && (field(c, F.encrypted) === 1) !== (encryption.value === 'mtls')) return false;
    if (component.value && ctx.text(field(c, F.component)) !== component.value) return false;
    if (namespace.value && ctx.text(field(c, F.sourceNamespace)) !== namespace.value && ctx.text(field(c, F.destinationNamespace)) !== namespace.value) return false;
    if (policy.value === '-' ? field(c, F.policy) !== -1 : policy.value && ctx.text(field(c, F.policy)) !== policy.value) return false;
    return ctx.edge < 0 || field(c, F.edge) === ctx.edge;
  };
  ctx.refilter = () => {
    const started = Date.now();
    const query = search.value.trim().toLowerCase();
    const pass = new Uint8Array(classes);
    const hit = new Uint8Array(classes);
    for (let c = 0; c < classes; c++) {
      pass[c] = classPasses(c) ? 1 : 0;
      hit[c] = query === '' || (classText[c] ?? '').includes(query) ? 1 : 0;
    }
    if (query !== '' && lowerIds.length === 0) for (const id of v.ids) lowerIds.push(id.toLowerCase());
    const wanted = change?.value ?? '';
    const out = new Int32Array(v.ids.length);
    let n = 0;
    for (let i = 0; i < v.ids.length; i++) {
      const c = v.flowClass[i] ?? 0;
      if (pass[c] !== 1) continue;
      if (wanted && ctx.text(v.change?.[i] ?? -1) !== wanted) continue;
      if (hit[c] !== 1 && !(lowerIds[i] ?? '').includes(query)) continue;
      out[n++] = i;
    }
    ctx.shown = out.subarray(0, n);
    count.textContent = `${n.toLocaleString('en')} of ${v.ids.length.toLocaleString('en')} flows`;
    edgeNote.textContent = ctx.edge >= 0 ? 'graph edge selected: show every edge' : '';
    edgeNote.style.display = ctx.edge >= 0 ? '' : 'none';
    for (const listener of ctx.listeners) listener();
    ctx.win.ambientBench = { view: v.name, shown: n, total: v.ids.length, filterMilliseconds: Date.now() - started };
  };
}
