import { loadManifestFiles } from '../files.js';
import { applyWhatIf } from '../index.js';
import type { Cluster, IstiodEnv } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { readWhatIfFile } from './scenarios.js';

/** How `diff` gets the configuration after the change: other manifests, or the manifests changed by what-if steps. */
export type AfterSpec =
  | { readonly kind: 'manifests'; readonly paths: readonly string[]; readonly istiodEnv: IstiodEnv }
  | { readonly kind: 'what-if'; readonly paths: readonly string[]; readonly whatIf: string; readonly istiodEnv: IstiodEnv };

/** The configuration after the change, with the notes of its what-if steps and the diagnostics of reading it. */
export interface AfterConfiguration {
  readonly cluster: Cluster;
  readonly notes: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads the configuration after the change. With what-if steps, `before` is the cluster of `spec.paths`
 * when the caller has read it already; otherwise the manifests are read here (their diagnostics are
 * the caller's, so they are not repeated).
 */
export async function readAfterConfiguration(spec: AfterSpec, before?: Cluster): Promise<AfterConfiguration> {
  if (spec.kind === 'manifests') {
    const after = await loadManifestFiles(spec.paths, { istiodEnv: spec.istiodEnv });
    return { cluster: after.cluster, notes: [], diagnostics: after.diagnostics };
  }
  const base = before ?? (await loadManifestFiles(spec.paths, { istiodEnv: spec.istiodEnv })).cluster;
  const steps = await readWhatIfFile(spec.whatIf, spec.istiodEnv);
  const outcome = applyWhatIf(base, steps.steps);
  return { cluster: outcome.cluster, notes: outcome.notes, diagnostics: [...steps.diagnostics, ...outcome.diagnostics] };
}
