import type { Cluster, ClusterObject } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { WhatIfStep } from '../../model/scenario.js';
import { describeRef } from '../../model/source.js';
import { clusterObjects, isClusterScoped, isControllerKind, objectKey, ownerKey, withObjects } from './cluster-objects.js';
import {
  addWaypoint, enrollAmbient, missing, removeSidecarInjection, setPeerAuthentication, useWaypoint, type StepOutcome,
} from './migration-steps.js';
import { find, relabel, remove, upsert, type Objects } from './object-edits.js';

/** The cluster after the steps, with what each step changed and any problems. */
export interface WhatIfOutcome {
  readonly cluster: Cluster;
  readonly diagnostics: readonly Diagnostic[];
  /** One line per change, in step order, e.g. `labelled Namespace payments istio.io/dataplane-mode=ambient`. */
  readonly notes: readonly string[];
}

type Handler<K extends WhatIfStep['kind']> = (objects: Objects, step: Extract<WhatIfStep, { kind: K }>) => StepOutcome;

const HANDLERS: { readonly [K in WhatIfStep['kind']]: Handler<K> } = {
  apply: applyObjects,
  delete: deleteObjects,
  label: labelObject,
  ambient: enrollAmbient,
  useWaypoint,
  addWaypoint,
  peerAuthentication: setPeerAuthentication,
  removeSidecarInjection,
};

/**
 * Applies what-if steps to a cluster in order, as `kubectl apply`, `kubectl delete` and `kubectl label`
 * would: the same kind/namespace/name replaces. A step whose target is missing changes nothing and
 * becomes a warning. Pure and total.
 */
export function applyWhatIf(cluster: Cluster, steps: readonly WhatIfStep[]): WhatIfOutcome {
  let objects: Objects = clusterObjects(cluster);
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  for (const step of steps) {
    const outcome = (HANDLERS[step.kind] as Handler<typeof step.kind>)(objects, step as never);
    objects = outcome.objects;
    for (const d of outcome.diagnostics) diagnostics.push(d);
    for (const n of outcome.notes) notes.push(n);
  }
  return { cluster: withObjects(cluster, objects), diagnostics, notes };
}

/** `apply`: each object replaces the one with the same kind/namespace/name, or is added. */
function applyObjects(objects: Objects, step: Extract<WhatIfStep, { kind: 'apply' }>): StepOutcome {
  let next: ClusterObject[] = [...objects];
  const notes: string[] = [];
  // A re-applied controller replaces the pods the loader generated for its previous template.
  const controllers = new Set(step.objects.filter((o) => isControllerKind(o.kind)).map((o) => ownerKey(o.meta.ref)));
  const appliedKeys = new Set(step.objects.map((o) => objectKey(o.meta.ref)));
  next = next.filter((o) => !(o.kind === 'Pod' && o.generated === true && o.owner !== undefined && controllers.has(o.owner) && !appliedKeys.has(objectKey(o.meta.ref))));
  for (const object of step.objects) {
    const existed = find(next, object.meta.ref) !== undefined;
    next = upsert(next, object);
    if (!(object.kind === 'Pod' && object.generated === true)) notes.push(`${existed ? 'replaced' : 'added'} ${describeRef(object.meta.ref)}`);
  }
  return { objects: next, diagnostics: [], notes };
}

/** `delete`: removes each object (a controller takes its pods along). */
function deleteObjects(objects: Objects, step: Extract<WhatIfStep, { kind: 'delete' }>): StepOutcome {
  let next: ClusterObject[] = [...objects];
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  for (const target of step.targets) {
    const ref = isClusterScoped(target.kind) ? { kind: target.kind, name: target.name } : target;
    const after = remove(next, ref);
    if (after) {
      next = after;
      notes.push(`deleted ${describeRef(ref)}`);
    } else {
      diagnostics.push(...missing(next, step.source, `delete: there is no ${describeRef(ref)}`).diagnostics);
    }
  }
  return { objects: next, diagnostics, notes };
}

/** `label`: sets and removes labels; on a controller, its pod template and pods too. */
function labelObject(objects: Objects, step: Extract<WhatIfStep, { kind: 'label' }>): StepOutcome {
  const ref = isClusterScoped(step.target.kind) ? { kind: step.target.kind, name: step.target.name } : step.target;
  const after = relabel(objects, ref, step.set, step.remove);
  if (!after) return missing(objects, step.source, `label: there is no ${describeRef(ref)}`);
  const changes = [...Object.entries(step.set).map(([k, v]) => `${k}=${v}`), ...step.remove.map((k) => `${k}-`)];
  return { objects: after, diagnostics: [], notes: [`labelled ${describeRef(ref)} ${changes.join(' ')}`] };
}
