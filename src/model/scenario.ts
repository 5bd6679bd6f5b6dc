import type { ClusterObject, IstiodEnv } from './cluster.js';
import type { Flow } from './flow.js';
import type { Labels } from './labels.js';
import type { MtlsMode } from './policy.js';
import type { ReasonCode } from './reason.js';
import type { Verdict } from './result.js';
import type { ObjectRef, SourceRef } from './source.js';
import type { WaypointTrafficType } from './mesh.js';

/**
 * A scenario file (DESIGN.md "Scenario file"): manifests, traffic, optional what-if steps and
 * expectations. Paths are kept as written, relative to the scenario file.
 */
export interface Scenario {
  readonly name: string;
  /** The scenario file itself. */
  readonly file: string;
  readonly manifests: readonly string[];
  readonly istiodEnv: IstiodEnv;
  readonly traffic: ScenarioTraffic;
  /** Steps as written; `apply` files are not read yet. Empty when there is no `whatIf`. */
  readonly whatIf: readonly WhatIfStepSpec[];
  readonly hasWhatIf: boolean;
  readonly expect: readonly Expectation[];
  /** Where each path of `manifests` and `traffic` (flows, trace, flowLog) was written, for the root check. */
  readonly paths: readonly WrittenPath[];
}

/** A path as written in a scenario file, under `field` (`manifests`, `traffic.flows`, ...), and where. */
export interface WrittenPath {
  readonly field: string;
  readonly path: string;
  readonly source: SourceRef;
}

export interface ScenarioTraffic {
  /** Flows files (relative paths). */
  readonly flowFiles: readonly string[];
  /** Flows written inline in the scenario file. */
  readonly inlineFlows: readonly Flow[];
  /** Packet captures (pcap, pcapng) and flow logs (JSONL flows, Hubble exports), relative paths. */
  readonly traceFiles?: readonly string[];
  readonly flowLogFiles?: readonly string[];
  /**
   * `generate: { count, seed, undeclaredPorts }`: property-generated flows over the cluster (seed
   * defaults to 0); with `undeclaredPorts: true`, also to ports and protocols the manifests do not declare.
   */
  readonly generate?: { readonly count: number; readonly seed: number; readonly undeclaredPorts?: boolean; readonly source: SourceRef };
}

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

/** Counts of flows that changed, by kind of change. */
export interface ChangeCounts {
  readonly allowedToDenied: number;
  readonly deniedToAllowed: number;
  readonly encryptedToPlaintext: number;
  readonly plaintextToEncrypted: number;
}

/** One `expect` entry. */
export type Expectation =
  | {
      readonly kind: 'flow'; readonly flow: string; readonly verdict?: Verdict; readonly encrypted?: boolean;
      /** A component (`waypoint`), a component name (`payments/waypoint`) or both (`waypoint payments/waypoint`). */
      readonly decidedBy?: string;
      /** `namespace/name`, or null for "no deciding policy". */
      readonly policy?: string | null;
      readonly reason?: ReasonCode;
      readonly source: SourceRef;
    }
  | { readonly kind: 'noPlaintextInto'; readonly namespace: string; readonly source: SourceRef }
  | { readonly kind: 'onlyReachable'; readonly to: string; readonly from: readonly string[]; readonly source: SourceRef }
  /** `none` means every count is zero; otherwise only the given counts are checked. */
  | { readonly kind: 'changes'; readonly counts: 'none' | Partial<ChangeCounts>; readonly source: SourceRef };
