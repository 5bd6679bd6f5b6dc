import fc from 'fast-check';
import { hostileString, hostileValue } from './hostile-values.js';

/**
 * Mutations of a parsed document (the "editcap -E" of structured input): a field replaced by a
 * hostile value, a field removed, a field with a hostile name added. `at` picks the field among all
 * the value's fields, so every field of a real object is reachable.
 */
export type ValueMutation =
  | { readonly op: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly op: 'remove'; readonly at: number }
  | { readonly op: 'add'; readonly at: number; readonly key: string; readonly value: unknown };

export const valueMutation: fc.Arbitrary<ValueMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: hostileString, value: hostileValue }) },
);

type Container = Record<string, unknown> | unknown[];
type Slot = { readonly parent: Container; readonly key: string | number };

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** Every field and list item below `root` (the root itself is no slot: a document stays a document). */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (!isContainer(v) || depth > 40) return;
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const key of keys) {
      out.push({ parent: v, key });
      walk((v as Record<string | number, unknown>)[key], depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** A deep copy of `value` with the mutations applied in order. */
export function mutateValue<T>(value: T, mutations: readonly ValueMutation[]): T {
  const copy = structuredClone(value);
  for (const m of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const slot = all[m.at % all.length] as Slot;
    const parent = slot.parent as Record<string | number, unknown>;
    if (m.op === 'replace') parent[slot.key] = structuredClone(m.value);
    else if (m.op === 'remove') {
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete parent[slot.key];
    } else {
      const target = parent[slot.key];
      if (isContainer(target) && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
      else parent[slot.key] = { [m.key]: structuredClone(m.value) };
    }
  }
  return copy;
}
