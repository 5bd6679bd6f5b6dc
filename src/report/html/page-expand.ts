import type { PageData, PageView } from './page-data.js';
import type { ShownView } from './page-dom.js';

/**
 * A view's classes as the page reads them: the file's classes with their decision written out and
 * the namespaces of source and destination (`ns/...`; -1 for an address) added, CLASS_WIDTH numbers
 * each. Namespace names are added to the string table once. Self-contained: its source is
 * embedded in the report.
 */
export function pageExpand(data: PageData, view: PageView): ShownView {
  const L = data.layout;
  const F = L.classFields;
  const strings = data.strings as string[];
  const found = new Map<string, number>();
  const namespaceCache = new Map<number, number>();
  const namespaceOf = (i: number): number => {
    let ns = namespaceCache.get(i);
    if (ns !== undefined) return ns;
    const text = strings[i] ?? '';
    const slash = text.indexOf('/');
    if (slash <= 0) ns = -1;
    else {
      const name = text.slice(0, slash);
      ns = found.get(name) ?? strings.indexOf(name);
      if (ns < 0) { ns = strings.length; strings.push(name); }
      found.set(name, ns);
    }
    namespaceCache.set(i, ns);
    return ns;
  };
  const count = view.classes.length / L.wireClassWidth;
  const out = new Int32Array(count * L.classWidth);
  for (let c = 0; c < count; c++) {
    const w = (k: number): number => view.classes[c * L.wireClassWidth + k] ?? -1;
    const d = w(L.wireClass.decision) * L.wireDecisionWidth;
    const decision = (k: number): number => data.decisions[d + k] ?? -1;
    const o = c * L.classWidth;
    const source = w(L.wireClass.source);
    const destination = w(L.wireClass.destination);
    out[o + F.source] = source;
    out[o + F.destination] = destination;
    out[o + F.denied] = decision(L.wireDecision.denied);
    out[o + F.encrypted] = decision(L.wireDecision.encrypted);
    out[o + F.component] = decision(L.wireDecision.component);
    out[o + F.deciderName] = decision(L.wireDecision.deciderName);
    out[o + F.policy] = decision(L.wireDecision.policy);
    out[o + F.rule] = decision(L.wireDecision.rule);
    out[o + F.reason] = decision(L.wireDecision.reason);
    out[o + F.decision] = decision(L.wireDecision.decision);
    out[o + F.explanation] = w(L.wireClass.explanation);
    out[o + F.sourceNamespace] = namespaceOf(source);
    out[o + F.destinationNamespace] = namespaceOf(destination);
    out[o + F.edge] = w(L.wireClass.edge);
  }
  return { ...view, classes: out };
}
