import { validateManifests } from '../../../../src/analysis/validate/validate-manifests.js';
import type { Cluster } from '../../../../src/model/cluster.js';
import { LINT_CODES, type Diagnostic } from '../../../../src/model/diagnostic.js';
import { ambientNamespace, cluster, pod, service, waypoint } from '../../../support/builders.js';

type Objects = Parameters<typeof cluster>[0];

/** The lint diagnostics `validate` reports for a cluster of builder objects. */
export function lints(objects: Objects, extra: Partial<Cluster> = {}): Diagnostic[] {
  return validateManifests(cluster(objects, extra)).diagnostics.filter((d) => (LINT_CODES as readonly string[]).includes(d.code));
}

/** Just the codes, for `toContain` / `not.toContain`. */
export function lintCodes(objects: Objects, extra: Partial<Cluster> = {}): string[] {
  return lints(objects, extra).map((d) => d.code);
}

/** An ambient namespace `pay` with pod `pay/api` (app=api, port 8080) behind Service `pay/api` (80 → 8080). */
export const PAY: Objects = [ambientNamespace('pay'), pod('pay/api', '10.0.0.1'), service('pay/api', '10.96.0.1')];

/** PAY with a ready waypoint `pay/wp` that the namespace uses. */
export const PAY_WITH_WAYPOINT: Objects = [
  ambientNamespace('pay', { 'istio.io/use-waypoint': 'wp' }), pod('pay/api', '10.0.0.1'), service('pay/api', '10.96.0.1'), waypoint('pay/wp'),
];
