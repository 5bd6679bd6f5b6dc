import type { IstiodEnv } from './cluster.js';
import type { Flow } from './flow.js';
import type { ReasonCode } from './reason.js';
import type { CloseReason, Verdict } from './result.js';
import type { SourceRef } from './source.js';
import type { TimelineSpec } from './timeline.js';
import type { WhatIfStepSpec } from './what-if.js';
export type { ApplySpec, ManifestText, WhatIfStep, WhatIfStepSpec } from './what-if.js';

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
  /** `timeline:` (with the top-level `settings:`), steps as written; absent when there is none. */
  readonly timeline?: TimelineSpec<WhatIfStepSpec>;
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

/** Counts of flows that changed, by kind of change. */
export interface ChangeCounts {
  readonly allowedToDenied: number;
  readonly deniedToAllowed: number;
  readonly encryptedToPlaintext: number;
  readonly plaintextToEncrypted: number;
}

/** One `expect` entry; with a timeline, `during` checks it over the flows of that phase only. */
export type Expectation = ExpectationBody & { readonly during?: string };

type ExpectationBody =
  | {
      readonly kind: 'flow'; readonly flow: string; readonly verdict?: Verdict; readonly encrypted?: boolean;
      /** A component (`waypoint`), a component name (`payments/waypoint`) or both (`waypoint payments/waypoint`). */
      readonly decidedBy?: string;
      /** `namespace/name`, or null for "no deciding policy". */
      readonly policy?: string | null;
      readonly reason?: ReasonCode;
      /** With a timeline: why the connection was closed before its duration ran out, or null for not closed early. */
      readonly closedReason?: CloseReason | null;
      readonly source: SourceRef;
    }
  | { readonly kind: 'noPlaintextInto'; readonly namespace: string; readonly source: SourceRef }
  | { readonly kind: 'onlyReachable'; readonly to: string; readonly from: readonly string[]; readonly source: SourceRef }
  /** `none` means every count is zero; otherwise only the given counts are checked. */
  | {
      readonly kind: 'changes'; readonly counts: 'none' | Partial<ChangeCounts>;
      /** With a timeline: the whole traffic under the configuration before and after this phase starts. */
      readonly at?: string;
      readonly source: SourceRef;
    };
