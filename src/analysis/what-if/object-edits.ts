import type { ClusterObject, Namespace, Pod, PodTemplate } from '../../model/cluster.js';
import type { Labels } from '../../model/labels.js';
import type { ObjectRef, SourceRef } from '../../model/source.js';
import { isControllerKind, objectKey, ownerKey, withMeta } from './cluster-objects.js';

/** The objects of a cluster during what-if steps, with the edits the steps need. */
export type Objects = readonly ClusterObject[];

/** Adds or removes keys of a label (or annotation) map. */
export function editLabels(labels: Labels, set: Labels, remove: readonly string[]): Labels {
  const out: Record<string, string> = { ...labels };
  for (const key of remove) delete out[key];
  return { ...out, ...set };
}

/** Puts `object` in place of the object with the same kind/namespace/name, or appends it. */
export function upsert(objects: Objects, object: ClusterObject): ClusterObject[] {
  const key = objectKey(object.meta.ref);
  const i = objects.findIndex((o) => objectKey(o.meta.ref) === key);
  if (i < 0) return [...objects, object];
  return objects.map((o, j) => (j === i ? object : o));
}

/** The object with this kind/namespace/name, if any. */
export function find(objects: Objects, ref: ObjectRef): ClusterObject | undefined {
  const key = objectKey(ref);
  return objects.find((o) => objectKey(o.meta.ref) === key);
}

/**
 * Removes an object; a controller takes the pods it owns with it (Kubernetes garbage collection).
 * Returns undefined when there is no such object.
 */
export function remove(objects: Objects, ref: ObjectRef): ClusterObject[] | undefined {
  const key = objectKey(ref);
  if (!objects.some((o) => objectKey(o.meta.ref) === key)) return undefined;
  const owner = isControllerKind(ref.kind) ? ownerKey(ref) : undefined;
  return objects.filter((o) => objectKey(o.meta.ref) !== key && !(owner !== undefined && o.kind === 'Pod' && o.owner === owner));
}

/**
 * Sets and removes labels on an object. On a controller the pod template and the controller's
 * existing pods change too, as a rollout of the edited template would leave them.
 */
export function relabel(objects: Objects, ref: ObjectRef, set: Labels, removeKeys: readonly string[]): ClusterObject[] | undefined {
  const target = find(objects, ref);
  if (!target) return undefined;
  const key = objectKey(ref);
  const owner = isControllerKind(ref.kind) ? ownerKey(ref) : undefined;
  return objects.map((o) => {
    if (objectKey(o.meta.ref) === key || (owner !== undefined && o.kind === 'Pod' && o.owner === owner)) {
      const edited = withMeta(o, (m) => ({ ...m, labels: editLabels(m.labels, set, removeKeys) }));
      return 'template' in edited ? { ...edited, template: retemplate(edited.template, set, removeKeys, {}, []) } : edited;
    }
    return o;
  });
}

/** A pod template with labels and annotations edited. */
export function retemplate(t: PodTemplate, set: Labels, removeKeys: readonly string[], setAnnotations: Labels, removeAnnotations: readonly string[]): PodTemplate {
  return { ...t, labels: editLabels(t.labels, set, removeKeys), annotations: editLabels(t.annotations, setAnnotations, removeAnnotations) };
}

/** Labels a namespace, creating the Namespace object when the manifests did not include it. */
export function labelNamespace(objects: Objects, name: string, set: Labels, removeKeys: readonly string[], source: SourceRef): { objects: ClusterObject[]; created: boolean } {
  const ref: ObjectRef = { kind: 'Namespace', name };
  const edited = relabel(objects, ref, set, removeKeys);
  if (edited) return { objects: edited, created: false };
  const ns: Namespace = { kind: 'Namespace', meta: { ref, source, labels: editLabels({}, set, removeKeys), annotations: {} } };
  return { objects: [...objects, ns], created: true };
}

/** Pods and controllers of a namespace with an edit applied to their metadata and template. */
export function editWorkloads(objects: Objects, namespace: string, edit: (labels: Labels, annotations: Labels) => { labels: Labels; annotations: Labels }): ClusterObject[] {
  return objects.map((o) => {
    if (o.meta.ref.namespace !== namespace || !(o.kind === 'Pod' || isControllerKind(o.kind))) return o;
    const w = o as Pod;
    const meta = edit(w.meta.labels, w.meta.annotations);
    const template = edit(w.template.labels, w.template.annotations);
    return { ...w, meta: { ...w.meta, ...meta }, template: { ...w.template, ...template } } as ClusterObject;
  });
}
