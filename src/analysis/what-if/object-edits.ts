import type { ClusterObject, Namespace, Pod, PodTemplate } from '../../model/cluster.js';
import type { Labels } from '../../model/labels.js';
import type { ObjectRef, SourceRef } from '../../model/source.js';
import { isControllerKind, ownerKey, withMeta } from './cluster-objects.js';
import type { ObjectStore } from './object-store.js';

/** Adds or removes keys of a label (or annotation) map. */
export function editLabels(labels: Labels, set: Labels, remove: readonly string[]): Labels {
  const out: Record<string, string> = { ...labels };
  for (const key of remove) delete out[key];
  return { ...out, ...set };
}

/**
 * Removes an object; a controller takes the pods it owns with it (Kubernetes garbage collection).
 * Returns false when there is no such object.
 */
export function remove(objects: ObjectStore, ref: ObjectRef): boolean {
  if (!objects.remove(ref)) return false;
  if (isControllerKind(ref.kind)) objects.removePods(ownerKey(ref));
  return true;
}

/**
 * Sets and removes labels on an object. On a controller the pod template and the controller's
 * existing pods change too, as a rollout of the edited template would leave them. False when there
 * is no such object.
 */
export function relabel(objects: ObjectStore, ref: ObjectRef, set: Labels, removeKeys: readonly string[]): boolean {
  const edit = (o: ClusterObject): ClusterObject => {
    const edited = withMeta(o, (m) => ({ ...m, labels: editLabels(m.labels, set, removeKeys) }));
    return 'template' in edited ? { ...edited, template: retemplate(edited.template, set, removeKeys, {}, []) } : edited;
  };
  if (!objects.edit(ref, edit)) return false;
  if (isControllerKind(ref.kind)) objects.editPods(ownerKey(ref), edit);
  return true;
}

/** A pod template with labels and annotations edited. */
export function retemplate(t: PodTemplate, set: Labels, removeKeys: readonly string[], setAnnotations: Labels, removeAnnotations: readonly string[]): PodTemplate {
  return { ...t, labels: editLabels(t.labels, set, removeKeys), annotations: editLabels(t.annotations, setAnnotations, removeAnnotations) };
}

/** Labels a namespace, creating the Namespace object when the manifests did not include it; whether it was created. */
export function labelNamespace(objects: ObjectStore, name: string, set: Labels, removeKeys: readonly string[], source: SourceRef): boolean {
  const ref: ObjectRef = { kind: 'Namespace', name };
  if (relabel(objects, ref, set, removeKeys)) return false;
  const ns: Namespace = { kind: 'Namespace', meta: { ref, source, labels: editLabels({}, set, removeKeys), annotations: {} } };
  objects.put(ns);
  return true;
}

/** Pods and controllers of a namespace with an edit applied to their metadata and template. */
export function editWorkloads(objects: ObjectStore, namespace: string, edit: (labels: Labels, annotations: Labels) => { labels: Labels; annotations: Labels }): void {
  objects.editAll((o) => {
    if (o.meta.ref.namespace !== namespace || !(o.kind === 'Pod' || isControllerKind(o.kind))) return o;
    const w = o as Pod;
    const meta = edit(w.meta.labels, w.meta.annotations);
    const template = edit(w.template.labels, w.template.annotations);
    return { ...w, meta: { ...w.meta, ...meta }, template: { ...w.template, ...template } } as ClusterObject;
  });
}
