/** Where a thing was written: file, document index (0-based) within a multi-document file, 1-based line and column. */
export interface SourceRef {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  readonly column?: number;
}

/** A Kubernetes object's identity: kind, namespace (absent for cluster-scoped kinds) and name. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** Line and column (1-based) of each field of an object, keyed by dotted path from the object root (`spec.rules.0.when.1.key`). */
export type FieldPositions = Readonly<Record<string, readonly [line: number, column: number]>>;

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects: how diagnostics and reports name an object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** `namespace/name` (or `name`) of an object. */
export function refKey(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}
