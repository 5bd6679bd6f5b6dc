/**
 * Cluster loading benchmark: the benchmark cluster (10,000 pods, 1,000 Services, 2,000 policies) as the
 * manifest text `simulate -f` reads (one JSON `kind: List`, or multi-document YAML), loaded and resolved
 * in this process by the built library (dist/, as the CLI runs it). Prints CPU time per stage next to a
 * floor measured in the same process: JSON.parse of the same cluster's JSON text. The first run is what
 * one CLI invocation pays (cold); then the best of BENCH_RUNS further runs (default 5).
 *
 * Environment: BENCH_MANIFESTS_FORMAT (json, the default, or yaml), BENCH_RUNS, BENCH_SKIP_BUILD=1.
 */
import { cpuUsage } from 'node:process';
import { stringify } from 'yaml';
import { BENCH_SIZE, syntheticCluster } from './synthetic-cluster.js';
import { build } from './support/bench-env.js';
import { clusterManifests } from './support/cluster-manifests.js';

type Library = typeof import('../src/load/manifests/load-manifests.js') & typeof import('../src/istiod/resolve-mesh.js')
  & typeof import('../src/istiod/admission/validate-cluster.js');

/** The built modules the CLI runs. */
async function library(): Promise<Library> {
  build();
  const [load, resolve, validate] = await Promise.all([
    import('../dist/load/manifests/load-manifests.js' as string), import('../dist/istiod/resolve-mesh.js' as string),
    import('../dist/istiod/admission/validate-cluster.js' as string),
  ]);
  return { ...load, ...resolve, ...validate } as Library;
}

const FORMAT = process.env['BENCH_MANIFESTS_FORMAT'] === 'yaml' ? 'yaml' : 'json';
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5));

/** CPU time (user + system) of `run`, in milliseconds. */
function cpuMs(run: () => unknown): number {
  const start = cpuUsage();
  run();
  const used = cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The same texts `writeManifests` writes for the cluster. */
function manifestTexts(): { json: string; text: string } {
  const objects = clusterManifests(syntheticCluster(BENCH_SIZE));
  const json = `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, null, 2)}\n`;
  const text = FORMAT === 'json' ? json : objects.map((o) => stringify(o, { aliasDuplicateObjects: false, lineWidth: 0 })).join('---\n');
  return { json, text };
}

interface Row {
  floor: number;
  load: number;
  validate: number;
  resolve: number;
}

function measureOnce(lib: Library, file: string, json: string, text: string): Row & { objects: number; diagnostics: number } {
  const { loadManifests, validateCluster, resolveValidatedMesh } = lib;
  let loaded: ReturnType<Library['loadManifests']> | undefined;
  let validated: ReturnType<Library['validateCluster']> | undefined;
  let diagnostics = 0;
  const floor = cpuMs(() => JSON.parse(json));
  const load = cpuMs(() => (loaded = loadManifests([{ file, text }])));
  const validate = cpuMs(() => (validated = validateCluster(loaded!.cluster)));
  const resolve = cpuMs(() => (diagnostics = resolveValidatedMesh(validated!).diagnostics.length));
  const objects = Object.values(loaded!.stats.objects).reduce((a, b) => a + b, 0);
  return { floor, load, validate, resolve, objects, diagnostics: diagnostics + loaded!.diagnostics.length };
}

/** One line of figures: each stage's CPU time and its ratio to the floor of the same run(s). */
function figures(label: string, row: Row): string {
  const ratio = (ms: number) => `${ms.toFixed(0)} ms (${(ms / row.floor).toFixed(2)}× floor)`;
  return `${label}, CPU time: floor ${row.floor.toFixed(0)} ms; loadManifests ${ratio(row.load)}; validateCluster ${ratio(row.validate)}; resolveValidatedMesh ${ratio(row.resolve)}; load + resolve ${ratio(row.load + row.validate + row.resolve)}`;
}

async function main(): Promise<void> {
  const lib = await library();
  const { json, text } = manifestTexts();
  const file = `cluster.${FORMAT}`;
  console.log(`cluster as ${FORMAT} (${(text.length / 1024 / 1024).toFixed(1)} MB); floor: JSON.parse of the ${(json.length / 1024 / 1024).toFixed(1)} MB JSON text`);
  const first = measureOnce(lib, file, json, text);
  console.log(`${first.objects} objects loaded, ${first.diagnostics} diagnostics`);
  console.log(figures('first run', first));
  const best: Row = { floor: Infinity, load: Infinity, validate: Infinity, resolve: Infinity };
  for (let r = 0; r < RUNS; r++) {
    const row = measureOnce(lib, file, json, text);
    for (const k of Object.keys(best) as (keyof Row)[]) best[k] = Math.min(best[k], row[k]);
  }
  console.log(figures(`best of ${RUNS} runs`, best));
}

await main();
