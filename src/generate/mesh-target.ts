import type { MeshIndex } from '../dataplane/mesh-index.js';
import { indexMesh } from '../dataplane/mesh-index.js';
import { resolveMesh } from '../istiod/resolve-mesh.js';
import type { Cluster } from '../model/cluster.js';

/** What generators and invariant checks work over: the cluster as written, or a mesh already prepared from it. */
export type MeshTarget = Cluster | MeshIndex;

/** Whether a target is a prepared mesh (`prepareMesh`) rather than a cluster. */
export function isMeshIndex(target: MeshTarget): target is MeshIndex {
  return 'workloadByUid' in target;
}

/** The mesh index of a target, resolving a cluster as istiod would. */
export function indexOf(target: MeshTarget): MeshIndex {
  return isMeshIndex(target) ? target : indexMesh(resolveMesh(target));
}
