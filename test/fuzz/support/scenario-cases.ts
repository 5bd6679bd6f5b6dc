import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { ROOT } from '../../cli/run-cli.js';
import { mutateValue, valueMutation, type ValueMutation } from './mutate-value.js';

/** Scenario files generated from the bundled scenarios: the cases of test/fuzz/scenarios.test.ts and of the CLI fuzz. */

const DIRS = readdirSync(join(ROOT, 'scenarios')).map((d) => join(ROOT, 'scenarios', d)).filter((d) => existsSync(join(d, 'scenario.yaml')));

function inlineVariant(dir: string, scenario: Record<string, unknown>): Record<string, unknown> {
  const traffic = scenario['traffic'] as Record<string, unknown> | undefined;
  const flowsFile = typeof traffic?.['flows'] === 'string' ? join(dir, traffic['flows']) : undefined;
  const flows = flowsFile && existsSync(flowsFile) ? (parse(readFileSync(flowsFile, 'utf8')) as unknown[]) : undefined;
  const manifests = ['policies.yaml', 'cluster.yaml'].map((f) => join(dir, f)).find(existsSync);
  const objects = manifests ? parseAllDocuments(readFileSync(manifests, 'utf8')).map((d) => d.toJS()).filter(Boolean).slice(0, 3) : [];
  const whatIf = [...((scenario['whatIf'] as unknown[] | undefined) ?? []), ...(objects.length > 0 ? [{ apply: objects }] : [])];
  return { ...scenario, ...(flows ? { traffic: { ...traffic, flows } } : {}), whatIf };
}

/** Each bundled scenario as written, and with its flows and some objects written inline; with the folder its paths are relative to. */
export const SEEDS: readonly { readonly dir: string; readonly scenario: Record<string, unknown> }[] = DIRS.flatMap((dir) => {
  const scenario = parse(readFileSync(join(dir, 'scenario.yaml'), 'utf8')) as Record<string, unknown>;
  return [{ dir, scenario }, { dir, scenario: inlineVariant(dir, scenario) }];
});

export const scenarioCase = fc.record({ seed: fc.nat(), mutations: fc.array(valueMutation, { maxLength: 3 }) });
export type ScenarioCase = { readonly seed: number; readonly mutations: readonly ValueMutation[] };

export const seedOf = (c: ScenarioCase) => SEEDS[c.seed % SEEDS.length] as (typeof SEEDS)[number];

export const write = (c: ScenarioCase) => stringify(mutateValue(seedOf(c).scenario, c.mutations), { lineWidth: 0, aliasDuplicateObjects: false });
