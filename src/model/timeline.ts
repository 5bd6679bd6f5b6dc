export type { CloseReason } from './result.js';
import type { SourceRef } from './source.js';
import type { WhatIfStep, WhatIfStepSpec } from './what-if.js';

/**
 * One entry of a timeline (DESIGN.md "Timeline"), at `at` seconds on the traffic's clock. `S` is the
 * configuration step's form: as written (`WhatIfStepSpec`, apply files not read yet) or ready to apply.
 */
export type TimelineEntry<S = WhatIfStep> =
  /** Names the interval of the timeline that starts here, up to the next phase. */
  | { readonly kind: 'phase'; readonly at: number; readonly name: string; readonly source: SourceRef }
  /** Any what-if step, applied to the cluster at `at`; istiod then pushes the new configuration. */
  | { readonly kind: 'configure'; readonly at: number; readonly step: S; readonly source: SourceRef }
  /** Waypoint `ns/name` loses every ready endpoint, until a `waypointUp` for it. */
  | { readonly kind: 'waypointDown'; readonly at: number; readonly waypoint: string; readonly source: SourceRef }
  | { readonly kind: 'waypointUp'; readonly at: number; readonly waypoint: string; readonly source: SourceRef }
  /** The ztunnel of `node` restarts and serves nothing for `for` seconds. */
  | { readonly kind: 'ztunnelRestart'; readonly at: number; readonly node: string; readonly for: number; readonly source: SourceRef }
  /** No component reaches istiod for `for` seconds: no configuration pushes and no certificate renewals meanwhile. */
  | { readonly kind: 'istiodUnreachable'; readonly at: number; readonly for: number; readonly source: SourceRef };

/** How the simulated istiod and components behave (`settings:` of a scenario or a timeline file). */
export interface TimelineSettings {
  /** Seconds from a configuration change to its arrival at every component (istiod's push); default 0. */
  readonly pushDelay: number;
}

export const DEFAULT_TIMELINE_SETTINGS: TimelineSettings = { pushDelay: 0 };

/** A timeline as written: its entries in file order, and its settings. */
export interface TimelineSpec<S = WhatIfStepSpec> {
  readonly entries: readonly TimelineEntry<S>[];
  readonly settings: TimelineSettings;
}

/** Seconds of one window of a timeline's per-component load. */
export const LOAD_WINDOW_SECONDS = 60;

/** One window of a component's load over a timeline: what happened there from `start` for LOAD_WINDOW_SECONDS. */
export interface LoadWindow {
  readonly start: number;
  /** Connections that reached the component (a ztunnel as the destination's, a waypoint). */
  readonly connections: number;
  /** HTTP requests a waypoint handled. */
  readonly requests: number;
  /** Connections or requests the component denied or refused. */
  readonly denials: number;
  /** The most connections open through the component at once in the window. */
  readonly peakOpen: number;
}

/** A component's load over a timeline, in windows with activity, in time order. */
export interface ComponentLoad {
  readonly component: string;
  readonly kind: 'ztunnel' | 'waypoint';
  readonly windows: readonly LoadWindow[];
}

/** One named interval of a timeline: from `start` to the next phase's start (`end` null: to the end). */
export interface PhaseSummary {
  readonly name: string;
  readonly start: number;
  readonly end: number | null;
  readonly flows: number;
  readonly allowed: number;
  readonly denied: number;
  readonly unencrypted: number;
  /** Connections of this phase's flows closed before their duration ran out. */
  readonly closed: number;
}
