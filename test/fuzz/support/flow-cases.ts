import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { ROOT } from '../../cli/run-cli.js';
import { mutateValue, valueMutation, type ValueMutation } from './mutate-value.js';

/** Flows files generated from the bundled scenarios' flows: the cases of test/fuzz/flows.test.ts and of the CLI fuzz. */
export const SEEDS: readonly unknown[] = readdirSync(join(ROOT, 'scenarios')).flatMap((dir) => {
  const file = join(ROOT, 'scenarios', dir, 'flows.yaml');
  try {
    return parse(readFileSync(file, 'utf8')) as unknown[];
  } catch {
    return [];
  }
});

export type Layout = 'yaml' | 'json' | 'jsonl';
export const FILES: Record<Layout, string> = { yaml: 'fuzz/flows.yaml', json: 'fuzz/flows.json', jsonl: 'fuzz/flows.jsonl' };

export const flowsCase = fc.record({
  picks: fc.array(fc.record({ seed: fc.nat(), mutations: fc.array(valueMutation, { maxLength: 2 }) }), { minLength: 1, maxLength: 12 }),
  layout: fc.constantFrom<Layout>('yaml', 'json', 'jsonl'),
});

export function entriesOf(picks: readonly { seed: number; mutations: readonly ValueMutation[] }[]): unknown[] {
  return picks.map((p) => mutateValue({ wrapped: SEEDS[p.seed % SEEDS.length] }, p.mutations).wrapped);
}

export function write(entries: readonly unknown[], layout: Layout): string {
  if (layout === 'yaml') return stringify(entries, { lineWidth: 0, aliasDuplicateObjects: false });
  if (layout === 'json') return JSON.stringify(entries, null, 2);
  // JSON.stringify leaves out what JSON has no value for; a line is never empty.
  return `${entries.map((e) => JSON.stringify(e) ?? 'null').join('\n')}\n`;
}
