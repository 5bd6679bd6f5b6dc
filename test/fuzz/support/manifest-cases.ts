import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { ROOT } from '../../cli/run-cli.js';
import { mutateValue, valueMutation, type ValueMutation } from './mutate-value.js';
import { keepingMutation } from './text-mutations.js';

/** Manifest files generated from real objects: the cases of test/fuzz/manifests.test.ts and of the CLI fuzz. */

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return manifestFiles(path);
    return /\.ya?ml$/.test(name) && !/^(scenario|flows)\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** The seed objects: every object of the bundled scenarios' manifests and of a `kubectl get -o yaml` export. */
export const SEEDS: readonly Record<string, unknown>[] = [...manifestFiles(join(ROOT, 'scenarios')), join(ROOT, 'test/fixtures/kubectl-export.yaml')]
  .flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).flatMap((d) => {
    const v = d.toJS() as Record<string, unknown> | null;
    if (!v || typeof v !== 'object') return [];
    return Array.isArray(v['items']) ? (v['items'] as Record<string, unknown>[]) : [v];
  }));

export type Layout = 'yaml-documents' | 'yaml-list' | 'json' | 'json-list';

export const manifestCase = fc.record({
  picks: fc.array(fc.record({ seed: fc.nat(), mutations: fc.array(valueMutation, { maxLength: 3 }) }), { minLength: 1, maxLength: 5 }),
  layout: fc.constantFrom<Layout>('yaml-documents', 'yaml-list', 'json', 'json-list'),
  keeping: fc.array(keepingMutation, { maxLength: 2 }),
});

export function documentsOf(picks: readonly { seed: number; mutations: readonly ValueMutation[] }[]): unknown[] {
  return picks.map((p) => mutateValue(SEEDS[p.seed % SEEDS.length], p.mutations));
}

export function write(docs: readonly unknown[], layout: Layout): string {
  const yaml = (v: unknown) => stringify(v, { lineWidth: 0, aliasDuplicateObjects: false });
  const list = { apiVersion: 'v1', kind: 'List', items: docs };
  if (layout === 'yaml-documents') return docs.map(yaml).join('---\n');
  if (layout === 'yaml-list') return yaml(list);
  if (layout === 'json-list') return JSON.stringify(list, null, 2);
  return JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2);
}
