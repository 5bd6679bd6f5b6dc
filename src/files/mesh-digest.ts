import { createHash } from 'node:crypto';
import type { Mesh } from '../model/mesh.js';

/**
 * A digest of the configuration a run simulated: SHA-256 of the resolved mesh (workloads, Services,
 * waypoints, policies as istiod translated them, mesh config, istiod flags and the diagnostics with
 * their files and lines). Two runs over the same manifests, read from the same paths, agree; any
 * change to what the mesh enforces changes it. `merge` refuses shard reports that disagree.
 */
export function meshDigest(mesh: Mesh): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(mesh));
  return `sha256:${hash.digest('hex')}`;
}
