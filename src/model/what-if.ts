import type { ClusterObject } from './cluster.js';
import type { Labels } from './labels.js';
import type { WaypointTrafficType } from './mesh.js';
import type { MtlsMode } from './policy.js';
import type { ObjectRef, SourceRef } from './source.js';

/** Manifest text to load: a file's contents, or an object written inline in a scenario. */
export interface ManifestText {
  readonly file: string;
  readonly text: string;
  /** The 1-based line of the file where `text` starts (1 when absent); its first line is padded to its column. */
  readonly firstLine?: number;
}

/** An `apply` step as written: files to read (relative paths) and inline objects as manifest text. */
export interface ApplySpec {
  readonly kind: 'apply';
  readonly files: readonly string[];
  /** Where each of `files` was written (same order). */
  readonly fileSources: readonly SourceRef[];
  readonly inline: readonly ManifestText[];
  readonly source: SourceRef;
}

/** A what-if step as written in a scenario or steps file. */
export type WhatIfStepSpec = ApplySpec | Exclude<WhatIfStep, { kind: 'apply' }>;

/** A what-if step ready to apply to a Cluster, in order. */
export type WhatIfStep =
  | { readonly kind: 'apply'; readonly objects: readonly ClusterObject[]; readonly source: SourceRef }
  | { readonly kind: 'delete'; readonly targets: readonly ObjectRef[]; readonly source: SourceRef }
  | { readonly kind: 'label'; readonly target: ObjectRef; readonly set: Labels; readonly remove: readonly string[]; readonly source: SourceRef }
  /** Label a namespace `istio.io/dataplane-mode=ambient` (or remove it when `enabled` is false). */
  | { readonly kind: 'ambient'; readonly namespace: string; readonly enabled: boolean; readonly source: SourceRef }
  /** Label a namespace or a Service `istio.io/use-waypoint`; `waypoint` is a name, `ns/name`, or `none`. */
  | { readonly kind: 'useWaypoint'; readonly target: { readonly namespace: string } | { readonly service: string }; readonly waypoint: string; readonly source: SourceRef }
  /** Create a ready waypoint Gateway (with a status address), as `istioctl waypoint apply` would. */
  | { readonly kind: 'addWaypoint'; readonly namespace: string; readonly name: string; readonly for?: WaypointTrafficType; readonly enrollNamespace: boolean; readonly source: SourceRef }
  /** Create or replace the selector-less PeerAuthentication `default` of a namespace. */
  | { readonly kind: 'peerAuthentication'; readonly namespace: string; readonly mode: MtlsMode; readonly source: SourceRef }
  /** Turn sidecar injection off for a namespace and restart its pods without sidecars. */
  | { readonly kind: 'removeSidecarInjection'; readonly namespace: string; readonly source: SourceRef };
