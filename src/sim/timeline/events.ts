import type { Flow } from '../../model/flow.js';
import type { WhatIfStep } from '../../model/scenario.js';
import type { SourceRef } from '../../model/source.js';
import type { Scheduled } from './event-queue.js';

/**
 * Everything the timeline simulation processes, in one union: what the timeline and the traffic say
 * (flow opens, configuration steps, faults, phase marks) and what processing them causes (a flow's
 * close when its `duration` runs out, istiod's push reaching the components, a fault's end).
 */
export type SimEvent = Scheduled & (
  /** A flow opens; `slot` is its position in the input (results keep input order). */
  | { readonly kind: 'flowOpen'; readonly slot: number; readonly flow: Flow }
  /** The open connection of flow `slot` reaches the end of its `duration`. */
  | { readonly kind: 'flowClose'; readonly slot: number }
  /** A what-if step applied to the cluster: istiod computes a new configuration version. */
  | { readonly kind: 'configure'; readonly step: WhatIfStep }
  /** istiod's push of `version` reaches every component (pushDelay after the change). */
  | { readonly kind: 'istiodPush'; readonly version: number }
  | { readonly kind: 'istiodUnreachable'; readonly until: number }
  | { readonly kind: 'istiodReachable' }
  | { readonly kind: 'waypointDown'; readonly waypoint: string; readonly source: SourceRef }
  | { readonly kind: 'waypointUp'; readonly waypoint: string; readonly source: SourceRef }
  | { readonly kind: 'ztunnelRestart'; readonly node: string; readonly until: number; readonly source: SourceRef }
  | { readonly kind: 'ztunnelReady'; readonly node: string }
  | { readonly kind: 'phase'; readonly name: string }
);

/**
 * Flows are numbered after every other event: at one instant, configuration, faults, their ends and
 * closes come first (in the order they were written or caused), then the flows that open then. So a
 * change at time 0 is in force for the flows at time 0, and a fault `for: 5` from 10 is over for a flow at 15.
 */
export const FLOW_SEQUENCE_BASE = 2 ** 40;
