import type { Labels, LabelSelector } from '../model/labels.js';
import { selectorMatches } from '../match/labels.js';

/**
 * The items whose label selector matches a set of labels, in the items' order, as a filter with
 * `selectorMatches` would give them. A selector that requires a label (its first `matchLabels` entry)
 * is filed under that label's value, so labels are tested only against the selectors that could
 * select them; the others (no `matchLabels`) are tested every time. An item without a selector never matches.
 */
export function selectorIndex<T>(items: readonly T[], selectorOf: (item: T) => LabelSelector | undefined): (labels: Labels) => T[] {
  const byFirstLabel = new Map<string, Map<unknown, number[]>>();
  const unfiled: number[] = [];
  items.forEach((item, i) => {
    const selector = selectorOf(item);
    if (!selector) return;
    const first = Object.entries(selector.matchLabels ?? {})[0];
    if (!first) return void unfiled.push(i);
    const [key, value] = first;
    const byValue = byFirstLabel.get(key) ?? new Map<unknown, number[]>();
    byFirstLabel.set(key, byValue);
    const list = byValue.get(value);
    if (list) list.push(i);
    else byValue.set(value, [i]);
  });
  return (labels) => {
    const found: number[][] = unfiled.length > 0 ? [unfiled] : [];
    for (const [key, byValue] of byFirstLabel) {
      const list = byValue.get(labels[key]);
      if (list) found.push(list);
    }
    const candidates = found.length === 1 ? (found[0] as number[]) : found.flat().sort((a, b) => a - b);
    const out: T[] = [];
    for (const i of candidates) {
      const item = items[i] as T;
      if (selectorMatches(selectorOf(item) as LabelSelector, labels)) out.push(item);
    }
    return out;
  };
}
