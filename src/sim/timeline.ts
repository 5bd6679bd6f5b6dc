import type { Flow } from '../model/flow.js';

/**
 * Something that happens at a point in simulated time. Flows are the only events today; configuration
 * changes and faults join this union as new kinds, handled by the simulator's dispatch.
 */
export type TimelineEvent = { readonly kind: 'flow'; readonly time: number; readonly seq: number; readonly flow: Flow };

/** Orders events by time, then by the order they were added (stable). */
export function orderEvents(events: TimelineEvent[]): TimelineEvent[] {
  return events.sort((a, b) => a.time - b.time || a.seq - b.seq);
}

/** Timeline events for a list of flows, in input order for equal times. */
export function flowEvents(flows: readonly Flow[]): TimelineEvent[] {
  return orderEvents(flows.map((flow, seq) => ({ kind: 'flow', time: flow.time, seq, flow })));
}
