import type { Cluster } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Mesh } from '../../model/mesh.js';
import { resolveValidatedMesh } from '../../istiod/resolve-mesh.js';
import { lintMesh } from './lints/lint-mesh.js';
import { validateCluster } from '../../istiod/admission/validate-cluster.js';
import { SUPERSEDED_BY_LINTS } from './ztunnel-status.js';

export interface ValidationResult {
  readonly mesh: Mesh;
  /** Admission errors and warnings, resolver findings, then lints. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * What `validate` reports for a loaded cluster: istiod's admission checks (rejected objects left out),
 * what the resolver finds missing, and the lints over the accepted configuration. Pure and total.
 */
export function validateManifests(cluster: Cluster): ValidationResult {
  const validated = validateCluster(cluster);
  const mesh = resolveValidatedMesh(validated);
  const lints = lintMesh(validated.cluster, mesh);
  return { mesh, diagnostics: [...mesh.diagnostics.filter((d) => !SUPERSEDED_BY_LINTS.has(d.code)), ...lints] };
}
