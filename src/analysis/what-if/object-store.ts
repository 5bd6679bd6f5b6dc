import type { ClusterObject, Pod } from '../../model/cluster.js';
import type { ObjectRef } from '../../model/source.js';
import { objectKey } from './cluster-objects.js';

/**
 * The objects of a cluster during what-if steps, in list order, with the lookups the steps need:
 * by kind/namespace/name and, for pods, by owning controller. A step costs what it touches, not the
 * size of the cluster, so thousands of steps run in time linear in their number.
 *
 * Order is the list's: an object put in place of another keeps that place, a new one goes last, a
 * removed one leaves a gap that `values` skips. A key may name several objects (a cluster built by
 * hand can hold duplicates): `find` and `put` act on the first, `remove` and `edit` on all of them.
 */
export class ObjectStore {
  private readonly items: (ClusterObject | undefined)[] = [];
  private readonly byKey = new Map<string, number[]>();
  private readonly byOwner = new Map<string, Set<number>>();

  constructor(objects: Iterable<ClusterObject>) {
    for (const o of objects) this.append(o);
  }

  /** The live objects, in list order. */
  values(): ClusterObject[] {
    const out: ClusterObject[] = [];
    for (const o of this.items) if (o !== undefined) out.push(o);
    return out;
  }

  /** The first object with this kind/namespace/name, if any. */
  find(ref: ObjectRef): ClusterObject | undefined {
    const at = this.byKey.get(objectKey(ref));
    return at === undefined ? undefined : this.items[at[0] as number];
  }

  /** Puts `object` in place of the first object with its kind/namespace/name, or last. Whether one existed. */
  put(object: ClusterObject): boolean {
    const at = this.byKey.get(objectKey(object.meta.ref));
    if (at === undefined) {
      this.append(object);
      return false;
    }
    this.replace(at[0] as number, object);
    return true;
  }

  /** Removes every object with this kind/namespace/name; whether there was one. */
  remove(ref: ObjectRef): boolean {
    const at = this.byKey.get(objectKey(ref));
    if (at === undefined) return false;
    for (const i of [...at]) this.drop(i);
    return true;
  }

  /** Removes the pods a controller owns that `which` picks. */
  removePods(owner: string, which: (pod: Pod) => boolean = () => true): void {
    for (const i of this.positionsOf(owner)) if (which(this.items[i] as Pod)) this.drop(i);
  }

  /** Replaces every object with this kind/namespace/name by `edit` of it; whether there was one. */
  edit(ref: ObjectRef, edit: (o: ClusterObject) => ClusterObject): boolean {
    const at = this.byKey.get(objectKey(ref));
    if (at === undefined) return false;
    for (const i of at) this.replace(i, edit(this.items[i] as ClusterObject));
    return true;
  }

  /** Replaces each pod a controller owns by `edit` of it (same place). */
  editPods(owner: string, edit: (pod: Pod) => ClusterObject): void {
    for (const i of this.positionsOf(owner)) this.replace(i, edit(this.items[i] as Pod));
  }

  /** Every live object, each replaced by `edit` of it (same place). */
  editAll(edit: (o: ClusterObject) => ClusterObject): void {
    for (let i = 0; i < this.items.length; i++) {
      const o = this.items[i];
      if (o !== undefined) this.replace(i, edit(o));
    }
  }

  private append(o: ClusterObject): void {
    const i = this.items.length;
    this.items.push(o);
    const key = objectKey(o.meta.ref);
    const at = this.byKey.get(key);
    if (at === undefined) this.byKey.set(key, [i]);
    else at.push(i);
    this.own(i, o);
  }

  private replace(i: number, o: ClusterObject): void {
    this.disown(i);
    this.items[i] = o;
    this.own(i, o);
  }

  private drop(i: number): void {
    const o = this.items[i];
    if (o === undefined) return;
    this.disown(i);
    this.items[i] = undefined;
    const key = objectKey(o.meta.ref);
    const at = (this.byKey.get(key) as number[]).filter((j) => j !== i);
    if (at.length === 0) this.byKey.delete(key);
    else this.byKey.set(key, at);
  }

  /** Positions of the pods a controller owns, in list order. */
  private positionsOf(owner: string): number[] {
    const at = this.byOwner.get(owner);
    return at === undefined ? [] : [...at].sort((a, b) => a - b);
  }

  private own(i: number, o: ClusterObject): void {
    if (o.kind !== 'Pod' || o.owner === undefined) return;
    let set = this.byOwner.get(o.owner);
    if (set === undefined) this.byOwner.set(o.owner, (set = new Set()));
    set.add(i);
  }

  private disown(i: number): void {
    const o = this.items[i];
    if (o !== undefined && o.kind === 'Pod' && o.owner !== undefined) this.byOwner.get(o.owner)?.delete(i);
  }
}
