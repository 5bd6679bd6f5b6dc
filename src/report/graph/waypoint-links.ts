import type { EdgeTally } from './traffic-graph.js';
import { compareText } from './edge-tally.js';

/**
 * The (waypoint, destination) pairs the edges' flows passed through, each once, sorted: the reports
 * draw them as a link from the waypoint to what it serves, so a waypoint is not drawn alone.
 */
export function waypointLinks(edges: readonly { readonly target: string; readonly tallies: readonly (EdgeTally | null)[] }[]): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const e of edges) {
    for (const t of e.tallies) {
      for (const w of t?.waypoints ?? []) {
        const key = `${w}\u0000${e.target}`;
        if (seen.has(key) || w === e.target) continue;
        seen.add(key);
        out.push([w, e.target]);
      }
    }
  }
  return out.sort((a, b) => compareText(a[0], b[0]) || compareText(a[1], b[1]));
}
