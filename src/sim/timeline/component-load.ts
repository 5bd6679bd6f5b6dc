import type { FlowResult } from '../../model/result.js';
import { LOAD_WINDOW_SECONDS, type ComponentLoad, type LoadWindow } from '../../model/timeline.js';
import type { CrossedComponents } from './crossed-components.js';

type Window = { -readonly [K in keyof LoadWindow]: LoadWindow[K] };

/** One component's windows, by window number, and its connections open now. */
class Component {
  readonly windows = new Map<number, Window>();
  open = 0;

  constructor(readonly kind: 'ztunnel' | 'waypoint', readonly name: string) {}

  window(time: number): Window {
    const n = Math.floor(time / LOAD_WINDOW_SECONDS);
    let w = this.windows.get(n);
    if (w === undefined) this.windows.set(n, (w = { start: n * LOAD_WINDOW_SECONDS, connections: 0, requests: 0, denials: 0, peakOpen: this.open }));
    return w;
  }
}

/**
 * The load of every ztunnel (as the destination's) and waypoint over a timeline, in windows of
 * LOAD_WINDOW_SECONDS: connections and HTTP requests that reached each, what each denied, and the
 * most connections open through it at once. The timeline tells it each flow as it opens and each open
 * connection as it ends; a window in which nothing opened or ended at a component is not listed.
 */
export class ComponentLoadRecorder {
  private readonly components = new Map<string, Component>();

  /** A flow opened at `time` with its result (`http`: it carries a request); `opened` when its connection stays open. */
  flow(time: number, result: FlowResult, crossed: CrossedComponents, http: boolean, opened: boolean): void {
    for (const c of this.reached(crossed)) {
      const w = c.window(time);
      w.connections++;
      if (c.kind === 'waypoint' && http) w.requests++;
      if (result.verdict === 'deny' && deniedAt(result, c)) w.denials++;
      if (opened) {
        c.open++;
        if (c.open > w.peakOpen) w.peakOpen = c.open;
      }
    }
  }

  /** An open connection through `crossed` ended at `time`. */
  closed(time: number, crossed: CrossedComponents): void {
    for (const c of this.reached(crossed)) {
      // The window it ended in had it open at its start (or when it opened there).
      c.window(time);
      c.open = Math.max(0, c.open - 1);
    }
  }

  /** Every component's windows, waypoints then ztunnels, each by name. */
  report(): ComponentLoad[] {
    const order = { waypoint: 0, ztunnel: 1 } as const;
    return [...this.components.values()]
      .sort((a, b) => order[a.kind] - order[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((c) => ({ component: c.name, kind: c.kind, windows: [...c.windows.values()].sort((a, b) => a.start - b.start) }));
  }

  /** The destination ztunnels and the waypoints a flow reached. */
  private reached(crossed: CrossedComponents): Component[] {
    const out: Component[] = [];
    for (const z of crossed.ztunnels) if (z.side === 'destination') out.push(this.component('ztunnel', z.node));
    for (const w of crossed.waypoints) out.push(this.component('waypoint', w.waypoint));
    return out;
  }

  private component(kind: 'ztunnel' | 'waypoint', name: string): Component {
    const key = `${kind}/${name}`;
    let c = this.components.get(key);
    if (c === undefined) this.components.set(key, (c = new Component(kind, name)));
    return c;
  }
}

/** True when the deny step of a result is the component's own (its step's `at` names it). */
function deniedAt(result: FlowResult, c: Component): boolean {
  const at = c.kind === 'waypoint' ? `waypoint ${c.name}` : `destination-ztunnel ${c.name}`;
  return result.steps.some((s) => s.effect === 'deny' && s.at === at);
}
