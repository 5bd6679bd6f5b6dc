import { isAbsolute, join } from 'node:path';
import { clusterObjects } from '../analysis/what-if/cluster-objects.js';
import { readManifestInputs, type ReadManifestOptions } from '../files.js';
import { loadManifests } from '../load/manifests/load-manifests.js';
import type { IstiodEnv } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { WhatIfStep, WhatIfStepSpec } from '../model/scenario.js';
import type { SourceRef } from '../model/source.js';
import { insideRoot, linkedOutsideRoot, type ScenarioRoot } from './scenario-root.js';

/** Files found in a named directory are read only when their real path is below the root too (a link may point out). */
export function admitBelow(root: ScenarioRoot, at: SourceRef): ReadManifestOptions {
  return { admit: async (file) => ((await insideRoot(root, file)) ? undefined : linkedOutsideRoot(root, file, at)) };
}

/** Loads the objects of `apply` steps (files relative to `base`, and inline objects; with `root`, files below it only). */
export async function resolveSteps(specs: readonly WhatIfStepSpec[], base: string, istiodEnv: IstiodEnv, root?: ScenarioRoot): Promise<{ steps: WhatIfStep[]; diagnostics: Diagnostic[] }> {
  const steps: WhatIfStep[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const spec of specs) {
    if (spec.kind !== 'apply') {
      steps.push(spec);
      continue;
    }
    const read = await readManifestInputs(spec.files.map((p) => relativeTo(base, p)), root ? admitBelow(root, spec.source) : {});
    const loaded = loadManifests([...read.inputs, ...spec.inline], { istiodEnv: { ...istiodEnv } });
    for (const d of read.diagnostics) diagnostics.push(d);
    for (const d of loaded.diagnostics) diagnostics.push(d);
    steps.push({ kind: 'apply', objects: clusterObjects(loaded.cluster), source: spec.source });
  }
  return { steps, diagnostics };
}

/** `path` as written in a file in `base`: relative to it unless absolute. */
export function relativeTo(base: string, path: string): string {
  return isAbsolute(path) ? path : join(base, path);
}
