import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { MeshService, Workload } from '../model/mesh.js';

/**
 * References a generator leans toward: `ns/name` (a Service, a controller or a pod) or `ns/*` (a
 * whole namespace). Flows still cover the rest of the mesh, less often.
 */
export interface Focus {
  readonly sources?: readonly string[];
  readonly destinations?: readonly string[];
}

/** Whether a workload is named by one of the references (directly, by controller, as a Service endpoint, or by namespace). */
export function focusesWorkload(refs: readonly string[], w: Workload, index: MeshIndex): boolean {
  return refs.some((ref) => ref === `${w.namespace}/*` || ref === w.uid || ref === w.controller
    || (index.serviceByKey.get(ref)?.endpoints.includes(w.uid) ?? false));
}

/** Whether a Service is named by one of the references (itself, or its namespace). */
export function focusesService(refs: readonly string[], s: MeshService): boolean {
  return refs.some((ref) => ref === s.key || ref === `${s.namespace}/*`);
}
