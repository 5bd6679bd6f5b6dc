import type { Cluster } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Mesh } from '../../model/mesh.js';
import { validateCluster } from '../../istiod/admission/validate-cluster.js';
import { resolveValidatedMesh } from '../../istiod/resolve-mesh.js';
import { indexMesh, type MeshIndex } from '../../dataplane/mesh-index.js';
import { lintContext, lintReporter, type PolicyLint } from './lints/lint-context.js';
import { ztunnelAllowHttpRule, ztunnelDenyHttp, ztunnelDryRunIgnored, ztunnelUnenforcedAction } from './lints/ztunnel-translation.js';

/**
 * istiod's ztunnel status notes that a lint states more precisely (with the field and the consequence).
 * istiod accepts such a policy "with warning" (pilot/pkg/serviceregistry/ambient/authorization.go,
 * `convertAuthorizationPolicy`: "this is an accepted with warning condition", reason UnsupportedValue).
 */
export const SUPERSEDED_BY_LINTS: ReadonlySet<string> = new Set(['ztunnel-http-attributes', 'ztunnel-unsupported-action', 'ztunnel-dry-run-dropped']);

/** The lints that restate those notes, in the order `lintMesh` runs them. */
const ZTUNNEL_STATUS_LINTS: readonly PolicyLint[] = [ztunnelAllowHttpRule, ztunnelDenyHttp, ztunnelUnenforcedAction, ztunnelDryRunIgnored];

/** istiod's mesh for a cluster (as `resolveMesh` computes it), its ztunnel status notes restated by the lints. */
export function resolveReportedMesh(cluster: Cluster): Mesh {
  return indexReportedMesh(cluster).mesh;
}

/**
 * The index of {@link resolveReportedMesh}'s mesh, built once: the lints that restate the notes read
 * the same index, since restating changes only the mesh's diagnostics.
 */
export function indexReportedMesh(cluster: Cluster): MeshIndex {
  const validated = validateCluster(cluster);
  const mesh = resolveValidatedMesh(validated);
  const index = indexMesh(mesh);
  const reported = restateZtunnelStatus(validated.cluster, mesh, index);
  return reported === mesh ? index : { ...index, mesh: reported };
}

/**
 * The mesh with istiod's ztunnel status notes replaced by the lints that restate them, so that a
 * finding has one code and one severity wherever it is reported (`simulate`, `explain`, `diff`, `check`
 * and `validate`). `cluster` holds the objects istiod accepted; `index`, when given, is the mesh's own.
 * The mesh itself when it has no such note.
 */
export function restateZtunnelStatus(cluster: Cluster, mesh: Mesh, index?: MeshIndex): Mesh {
  if (!mesh.diagnostics.some((d) => SUPERSEDED_BY_LINTS.has(d.code))) return mesh;
  const ctx = lintContext(cluster, mesh, index);
  const restated: Diagnostic[] = [];
  for (const policy of cluster.authorizationPolicies) {
    const { report, diagnostics } = lintReporter('AuthorizationPolicy', policy.meta);
    for (const lint of ZTUNNEL_STATUS_LINTS) lint(policy, ctx, report);
    for (const d of diagnostics) restated.push(d);
  }
  return { ...mesh, diagnostics: [...mesh.diagnostics.filter((d) => !SUPERSEDED_BY_LINTS.has(d.code)), ...restated] };
}
