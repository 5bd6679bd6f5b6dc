import type { Cluster } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { WhatIfStep } from '../../model/scenario.js';
import { describeRef } from '../../model/source.js';
import { clusterObjects, isClusterScoped, isControllerKind, objectKey, ownerKey, withObjects } from './cluster-objects.js';
import { ObjectStore } from './object-store.js';
import {
  addWaypoint, enrollAmbient, missing, removeSidecarInjection, setPeerAuthentication, useWaypoint, type StepOutcome,
} from './migration-steps.js';
import { relabel, remove } from './object-edits.js';

/** The cluster after the steps, with what each step changed and any problems. */
export interface WhatIfOutcome {
  readonly cluster: Cluster;
  readonly diagnostics: readonly Diagnostic[];
  /** One line per change, in step order, e.g. `labelled Namespace payments istio.io/dataplane-mode=ambient`. */
  readonly notes: readonly string[];
}

type Handler<K extends WhatIfStep['kind']> = (objects: ObjectStore, step: Extract<WhatIfStep, { kind: K }>) => StepOutcome;

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
 * becomes a warning. Pure and total; each step costs what it touches, so the time is linear in the
 * number of steps.
 */
export function applyWhatIf(cluster: Cluster, steps: readonly WhatIfStep[]): WhatIfOutcome {
  const objects = new ObjectStore(clusterObjects(cluster));
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  for (const step of steps) {
    const outcome = (HANDLERS[step.kind] as Handler<typeof step.kind>)(objects, step as never);
    for (const d of outcome.diagnostics) diagnostics.push(d);
    for (const n of outcome.notes) notes.push(n);
  }
  return { cluster: withObjects(cluster, objects.values()), diagnostics, notes };
}

/** `apply`: each object replaces the one with the same kind/namespace/name, or is added. */
function applyObjects(objects: ObjectStore, step: Extract<WhatIfStep, { kind: 'apply' }>): StepOutcome {
  const notes: string[] = [];
  // A re-applied controller replaces the pods the loader generated for its previous template.
  const controllers = new Set(step.objects.filter((o) => isControllerKind(o.kind)).map((o) => ownerKey(o.meta.ref)));
  const appliedKeys = new Set(step.objects.map((o) => objectKey(o.meta.ref)));
  for (const owner of controllers) objects.removePods(owner, (pod) => pod.generated === true && !appliedKeys.has(objectKey(pod.meta.ref)));
  for (const object of step.objects) {
    const existed = objects.put(object);
    if (!(object.kind === 'Pod' && object.generated === true)) notes.push(`${existed ? 'replaced' : 'added'} ${describeRef(object.meta.ref)}`);
  }
  return { diagnostics: [], notes };
}

/** `delete`: removes each object (a controller takes its pods along). */
function deleteObjects(objects: ObjectStore, step: Extract<WhatIfStep, { kind: 'delete' }>): StepOutcome {
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  for (const target of step.targets) {
    const ref = isClusterScoped(target.kind) ? { kind: target.kind, name: target.name } : target;
    if (remove(objects, ref)) notes.push(`deleted ${describeRef(ref)}`);
    else for (const d of missing(step.source, `delete: there is no ${describeRef(ref)}`).diagnostics) diagnostics.push(d);
  }
  return { diagnostics, notes };
}

/** `label`: sets and removes labels; on a controller, its pod template and pods too. */
function labelObject(objects: ObjectStore, step: Extract<WhatIfStep, { kind: 'label' }>): StepOutcome {
  const ref = isClusterScoped(step.target.kind) ? { kind: step.target.kind, name: step.target.name } : step.target;
  if (!relabel(objects, ref, step.set, step.remove)) return missing(step.source, `label: there is no ${describeRef(ref)}`);
  const changes = [...Object.entries(step.set).map(([k, v]) => `${k}=${v}`), ...step.remove.map((k) => `${k}-`)];
  return { diagnostics: [], notes: [`labelled ${describeRef(ref)} ${changes.join(' ')}`] };
}
