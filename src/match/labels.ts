import type { Labels, LabelSelector } from '../model/labels.js';

/** Whether `labels` satisfy a Kubernetes label selector (matchLabels AND matchExpressions). */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    const inValues = has && (req.values ?? []).includes(value as string);
    if (req.operator === 'In' && !inValues) return false;
    if (req.operator === 'NotIn' && inValues) return false;
    if (req.operator === 'Exists' && !has) return false;
    if (req.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Whether every key/value of `subset` is in `labels` (a Service or workload selector). */
export function labelsMatch(subset: Labels, labels: Labels): boolean {
  for (const [key, value] of Object.entries(subset)) {
    if (labels[key] !== value) return false;
  }
  return true;
}
