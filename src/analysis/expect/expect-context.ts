import type { MeshIndex } from '../../dataplane/mesh-index.js';

/** What expectations need to know about the mesh beyond the results: Service endpoints and pod owners. */
export interface ExpectContext {
  /** Pod uids (`ns/pod`) behind the Service `ns/name`, or undefined when there is no such Service. */
  serviceEndpoints(ref: string): readonly string[] | undefined;
  /** The controller (`ns/name`) of the pod `ns/pod`, when it has one. */
  controllerOf(uid: string): string | undefined;
  /** The pod uid a `ns/pod` or `ns/controller` reference stands for, when it names one. */
  podOf(ref: string): string | undefined;
  /** Which names the mesh has, to tell an invariant about nothing; absent when unknown. */
  readonly names?: MeshNames;
}

/** The names of a mesh: namespaces (where some workload or Service lives), Services, pods and controllers. */
export interface MeshNames {
  hasNamespace(namespace: string): boolean;
  hasService(ref: string): boolean;
  /** A pod (`ns/pod`) or a controller (`ns/name`) with pods. */
  hasWorkload(ref: string): boolean;
}

/** A context that knows nothing: references match only as written. */
export const EMPTY_EXPECT_CONTEXT: ExpectContext = {
  serviceEndpoints: () => undefined,
  controllerOf: () => undefined,
  podOf: () => undefined,
};

/** The context for results computed over `index`. */
export function expectContextFromIndex(index: MeshIndex): ExpectContext {
  let namespaces: Set<string> | undefined;
  return {
    names: {
      hasNamespace: (ns) => {
        namespaces ??= new Set([...index.mesh.workloads.map((w) => w.namespace), ...index.mesh.services.map((s) => s.namespace)]);
        return namespaces.has(ns);
      },
      hasService: (ref) => index.serviceByKey.has(ref),
      hasWorkload: (ref) => index.workloadByUid.has(ref) || (index.workloadsByController.get(ref)?.length ?? 0) > 0,
    },
    serviceEndpoints: (ref) => index.serviceByKey.get(ref)?.endpoints,
    controllerOf: (uid) => index.workloadByUid.get(uid)?.controller,
    podOf: (ref) => index.workloadByUid.get(ref)?.uid ?? index.workloadsByController.get(ref)?.[0]?.uid,
  };
}
