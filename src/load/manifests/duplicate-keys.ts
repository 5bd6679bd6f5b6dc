import { isMap, isScalar, visit, type LineCounter, type Node } from 'yaml';
import { cut, EXCERPT_CHARS, excerpt } from '../excerpt.js';

/** A mapping key written a second time in the same mapping, at its second occurrence. */
export interface DuplicateKey {
  /** The key as Go's `%#v` prints it in yaml.v2's message (`"action"`, `true`, `8080`), cut to a short excerpt. */
  readonly key: string;
  readonly line: number;
  readonly col: number;
  /** Line of the first occurrence. */
  readonly firstLine: number;
}

/**
 * Keys set twice in one mapping of a YAML document. kubectl and the API server read YAML through
 * sigs.k8s.io/yaml, whose strict conversion refuses them (gopkg.in/yaml.v2 decode.go `setMapIndex`:
 * `line N: key "action" already set in map`); a lenient reader would keep the last value silently.
 */
export function yamlDuplicateKeys(contents: Node | null, lines: Pick<LineCounter, 'linePos'>): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  if (contents === null) return found;
  visit(contents, {
    Map(_, map) {
      if (!isMap(map)) return;
      const first = new Map<string, number>();
      for (const pair of map.items) {
        const k = pair.key;
        // `<<` merges a mapping into this one (yaml.v2 `isMerge`); writing it twice is allowed.
        if (!isScalar(k) || k.value === '<<') continue;
        const id = `${typeof k.value}:${typeof k.value === 'string' ? JSON.stringify(k.value) : String(k.value)}`;
        // Quoted as any value from the input is: a short excerpt (excerpt.ts).
        const shown = typeof k.value === 'string' ? excerpt(k.value) : cut(String(k.value), EXCERPT_CHARS);
        const at = lines.linePos(k.range?.[0] ?? 0);
        const earlier = first.get(id);
        if (earlier === undefined) first.set(id, at.line);
        else found.push({ key: shown, line: at.line, col: at.col, firstLine: earlier });
      }
    },
  });
  return found;
}

/**
 * Offsets of member keys that repeat a key of the same JSON object (JSON.parse keeps the last value
 * silently; the API server's strict decoding refuses them: sigs.k8s.io/json decode.go `objectInterface`,
 * `duplicate field "action"`). A cheap count decides first whether the text can hold any: every key is
 * a string followed by `:`, so when there are no more of those than the parsed value has keys, none repeats.
 */
export function jsonDuplicateKeys(text: string, parsed: unknown): { key: string; offset: number }[] {
  if (colonsAfterQuotes(text) <= keyCount(parsed)) return [];
  return scanJsonKeys(text);
}

/** Colons whose nearest character before them, spaces aside, is a quote: every member key has one. */
function colonsAfterQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    while (j >= 0 && isJsonSpace(text.charCodeAt(j))) j--;
    if (text.charCodeAt(j) === 34) n++;
  }
  return n;
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function keyCount(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (typeof v === 'object' && v !== null) {
      const keys = Object.keys(v);
      n += keys.length;
      for (const k of keys) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return n;
}

/** Walks valid JSON with a stack of the keys seen in each open object. */
function scanJsonKeys(text: string): { key: string; offset: number }[] {
  const out: { key: string; offset: number }[] = [];
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) stack.push(new Set());
    else if (c === 91) stack.push(null);
    else if (c === 125 || c === 93) stack.pop();
    else if (c === 34) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      const keys = stack[stack.length - 1];
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k] as string)) k++;
      if (keys && text.charCodeAt(k) === 58) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) out.push({ key, offset: i });
        else keys.add(key);
      }
      i = j;
    }
  }
  return out;
}
