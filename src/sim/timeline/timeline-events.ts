import type { Flow } from '../../model/flow.js';
import type { WhatIfStep } from '../../model/scenario.js';
import type { TimelineEntry } from '../../model/timeline.js';
import { FLOW_SEQUENCE_BASE, type SimEvent } from './events.js';

/** The events of a timeline's entries (numbered in file order) and of the flows (numbered after them, in input order). */
export function timelineEvents(entries: readonly TimelineEntry<WhatIfStep>[], flows: readonly Flow[]): SimEvent[] {
  const events: SimEvent[] = entries.map((entry, seq) => entryEvent(entry, seq));
  flows.forEach((flow, slot) => events.push({ kind: 'flowOpen', time: flow.time, seq: FLOW_SEQUENCE_BASE + slot, slot, flow }));
  return events;
}

function entryEvent(e: TimelineEntry<WhatIfStep>, seq: number): SimEvent {
  const at = { time: e.at, seq };
  switch (e.kind) {
    case 'phase': return { ...at, kind: 'phase', name: e.name };
    case 'configure': return { ...at, kind: 'configure', step: e.step };
    case 'waypointDown': return { ...at, kind: 'waypointDown', waypoint: e.waypoint, source: e.source };
    case 'waypointUp': return { ...at, kind: 'waypointUp', waypoint: e.waypoint, source: e.source };
    case 'ztunnelRestart': return { ...at, kind: 'ztunnelRestart', node: e.node, until: e.at + e.for, source: e.source };
    case 'istiodUnreachable': return { ...at, kind: 'istiodUnreachable', until: e.at + e.for };
  }
}
