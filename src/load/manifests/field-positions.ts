import { isMap, isSeq, type LineCounter, type Node as YamlNode } from 'yaml';
import type { FieldPositions } from '../../model/source.js';

/**
 * Line and column of every field below a YAML node, keyed by dotted path (`spec.rules.0.when.1.key`):
 * the key's position for a map entry, the item's for a list element. One pass over the node.
 */
export function fieldPositions(node: YamlNode | null, lines: LineCounter): FieldPositions {
  // No prototype: a field named `__proto__` must be an own key like any other.
  const out: Record<string, readonly [number, number]> = Object.create(null) as Record<string, readonly [number, number]>;
  const walk = (n: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (isMap(n)) {
      for (const pair of n.items) {
        const key = (pair.key as { value?: unknown } | null)?.value;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        const p = path ? `${path}.${key}` : String(key);
        const offset = (pair.key as YamlNode).range?.[0];
        if (offset !== undefined) {
          const pos = lines.linePos(offset);
          out[p] = [pos.line, pos.col];
        }
        walk(pair.value, p, depth + 1);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => {
        const p = `${path}.${i}`;
        const offset = (item as YamlNode | null)?.range?.[0];
        if (offset !== undefined) {
          const pos = lines.linePos(offset);
          out[p] = [pos.line, pos.col];
        }
        walk(item, p, depth + 1);
      });
    }
  };
  walk(node, '', 0);
  return out;
}
