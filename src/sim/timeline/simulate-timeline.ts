import type { Cluster } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import type { FlowResult, Hop, Summary } from '../../model/result.js';
import type { WhatIfStep } from '../../model/scenario.js';
import type { SourceRef } from '../../model/source.js';
import type { CloseReason, ComponentLoad, PhaseSummary, TimelineSpec } from '../../model/timeline.js';
import { crossedComponents, refusedResult, sameHops, type CrossedComponents } from './crossed-components.js';
import { DataPlaneState, hasNode, hasWaypoint } from './data-plane-state.js';
import { EventQueue } from './event-queue.js';
import { FLOW_SEQUENCE_BASE, type SimEvent } from './events.js';
import { IstiodVersions } from './istiod-versions.js';
import { timelineEvents } from './timeline-events.js';
import { WaypointRateLimits } from './waypoint-rate-limits.js';
import { WorkloadCertificates } from './workload-certificates.js';
import { phaseSummaries, summarizeResults } from './phase-summaries.js';
import { ComponentLoadRecorder } from './component-load.js';

/** What a timeline run reports: results in flow input order, each with its time and phase. */
export interface TimelineReport {
  readonly results: readonly FlowResult[];
  readonly phases: readonly PhaseSummary[];
  readonly diagnostics: readonly Diagnostic[];
  /** What each configuration step changed, prefixed with its time. */
  readonly notes: readonly string[];
  readonly summary: Summary;
  /** Each destination ztunnel's and waypoint's load over time, in windows (ComponentLoadRecorder). */
  readonly load: readonly ComponentLoad[];
}

/** An allowed flow whose connection is still open: re-checked on every push, ended by faults. */
interface OpenConnection {
  readonly flow: Flow;
  readonly hops: readonly Hop[];
  readonly crossed: CrossedComponents;
}

/**
 * Runs the discrete-event simulation of a timeline (DESIGN.md "Timeline") over the cluster and the
 * flows: configuration steps make istiod versions, pushes deliver them to the components after
 * `settings.pushDelay`, faults stop components, and connections with a `duration` stay open and are
 * re-checked. Pure and total: problems become diagnostics.
 */
export function simulateTimeline(cluster: Cluster, flows: readonly Flow[], timeline: TimelineSpec<WhatIfStep>): TimelineReport {
  const run = new TimelineRun(cluster, timeline.settings.pushDelay, WorkloadCertificates.of(cluster, timeline.entries, flows));
  for (const e of timelineEvents(timeline.entries, flows)) run.schedule(e);
  run.drain();
  return run.report();
}

type EventOf<K extends SimEvent['kind']> = Extract<SimEvent, { kind: K }>;
/** An event without its place in the queue, as a handler causes it. */
type Caused = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 'time' | 'seq'> : never) : never;

class TimelineRun {
  private readonly queue = new EventQueue<SimEvent>();
  private readonly istiod: IstiodVersions;
  private readonly plane = new DataPlaneState();
  private readonly open = new Map<number, OpenConnection>();
  private readonly results: FlowResult[] = [];
  private readonly phaseOf: number[] = [];
  private readonly marks: { name: string; start: number }[] = [];
  private readonly warnings: Diagnostic[] = [];
  private seq = 0;
  private now = 0;
  private unreachableUntil = -1;
  /** When the components received the version they enforce. */
  private deliveredAt = 0;
  private readonly rateLimits = new WaypointRateLimits();
  private readonly load = new ComponentLoadRecorder();

  constructor(cluster: Cluster, private readonly pushDelay: number, private readonly certificates: WorkloadCertificates | undefined) {
    this.istiod = new IstiodVersions(cluster);
  }

  /** Schedules a timeline or traffic event (numbered by the caller). */
  schedule(event: SimEvent): void {
    if (event.seq >= this.seq && event.seq < FLOW_SEQUENCE_BASE) this.seq = event.seq + 1;
    this.queue.push(event);
  }

  drain(): void {
    for (let e = this.queue.pop(); e !== undefined; e = this.queue.pop()) {
      this.now = e.time;
      this.process(e);
    }
  }

  private process(e: SimEvent): void {
    switch (e.kind) {
      case 'flowOpen': return this.openFlow(e);
      case 'flowClose': return this.flowClose(e.slot);
      case 'configure': return this.configure(e.step);
      case 'istiodPush': return this.deliver(e.version);
      case 'istiodUnreachable': return this.istiodUnreachable(e.until);
      case 'istiodReachable': return this.istiodReachable();
      case 'waypointDown': return this.waypointDown(e);
      case 'waypointUp': return void this.plane.waypointsDown.delete(e.waypoint);
      case 'ztunnelRestart': return this.ztunnelRestart(e);
      case 'ztunnelReady': return this.ztunnelReady(e.node);
      case 'phase': return void this.marks.push({ name: e.name, start: e.time });
    }
  }

  /** A caused event, after everything already scheduled for its time and before that time's flows. */
  private later(time: number, event: Caused): void {
    this.queue.push({ ...event, time, seq: this.seq++ } as SimEvent);
  }

  private openFlow(e: EventOf<'flowOpen'>): void {
    const decided = this.decide(e.flow);
    const refusal = (this.faulty() ? this.refusal(decided.result, decided.crossed) : undefined)
      ?? this.certificates?.refusal(decided.result, decided.crossed, e.flow.time)
      ?? this.rateLimited(e, decided);
    const result = refusal ?? decided.result;
    const phase = this.marks[this.marks.length - 1];
    this.results[e.slot] = { ...result, time: e.flow.time, ...(phase ? { phase: phase.name } : {}) };
    this.phaseOf[e.slot] = this.marks.length - 1;
    const duration = e.flow.duration ?? 0;
    const opens = !refusal && result.verdict === 'allow' && duration > 0;
    this.load.flow(e.flow.time, result, refusal ? crossedComponents(refusal) : decided.crossed, e.flow.protocol === 'http', opens);
    if (!opens) return;
    this.open.set(e.slot, { flow: e.flow, hops: result.hops, crossed: decided.crossed });
    this.later(e.time + duration, { kind: 'flowClose', slot: e.slot });
  }

  /**
   * Decides a flow under the configuration of the component that decides it. Every component holds
   * the pushed version, except a ztunnel that fetched a newer one when it restarted: each ztunnel
   * enforces its own configuration (istio/ztunnel src/state.rs `assert_rbac` reads the proxy's own
   * state), so a flow its destination ztunnel decides is decided again under that ztunnel's version.
   */
  private decide(flow: Flow): { result: FlowResult; crossed: CrossedComponents } {
    const version = this.plane.delivered;
    let result = this.istiod.simulator(version).processFlow(flow).result;
    const decider = result.decidedBy;
    if (decider.component === 'destination-ztunnel' && decider.name !== null && this.plane.ztunnelVersion(decider.name) !== version) {
      result = this.istiod.simulator(this.plane.ztunnelVersion(decider.name)).processFlow(flow).result;
    }
    return { result, get crossed() { return crossedComponents(result); } };
  }

  /** The request refused by a waypoint's local rate limit (a 429), under the version the waypoints enforce. */
  private rateLimited(e: EventOf<'flowOpen'>, decided: { result: FlowResult; crossed: CrossedComponents }): FlowResult | undefined {
    const version = this.plane.delivered;
    const limits = this.istiod.rateLimits(version);
    if (limits.length === 0) return undefined;
    return this.rateLimits.admit({ flow: e.flow, slot: e.slot, result: decided.result, crossed: decided.crossed }, this.istiod.cluster(version), limits, this.deliveredAt);
  }

  /** True while some waypoint or ztunnel serves nothing (only then can a new flow be refused). */
  private faulty(): boolean {
    return this.plane.waypointsDown.size > 0 || this.plane.restarting.size > 0 || this.plane.awaitingConfiguration.size > 0;
  }

  /** The refusal a fault causes, at the first failing component in path order; undefined when none fails. */
  private refusal(result: FlowResult, crossed: CrossedComponents): FlowResult | undefined {
    const ztunnel = crossed.ztunnels.find((z) => this.plane.ztunnelDown(z.node));
    const waypoint = crossed.waypoints.find((w) => this.plane.waypointsDown.has(w.waypoint));
    if (ztunnel && (!waypoint || ztunnel.step <= waypoint.step)) {
      // In-pod redirection stays in the pod's network namespace while ztunnel is gone: traffic is
      // still sent to ztunnel's sockets there, nothing serves them, and it is not bypassed
      // (istio.io "Ztunnel traffic redirection"; istio/ztunnel src/xds/client.rs: not ready until
      // the first configuration from istiod arrived).
      return refusedResult(result, { at: `${ztunnel.side}-ztunnel ${ztunnel.node}`, code: 'ztunnel-restarting', beforeStep: ztunnel.step, detail: { node: ztunnel.node } }, ztunnel);
    }
    if (!waypoint) return undefined;
    // A waypoint address with no healthy endpoint: fetch_waypoint finds no upstream and fails with
    // UnknownWaypoint; the connection fails, it does not go around the waypoint
    // (istio/ztunnel src/state.rs `fetch_waypoint`, `find_upstream_from_service`: "has no healthy endpoints").
    const at = result.steps[waypoint.step]?.at ?? `waypoint ${waypoint.waypoint}`;
    return refusedResult(result, { at: at.startsWith('waypoint ') ? `waypoint ${waypoint.waypoint}` : at, code: 'waypoint-unavailable', beforeStep: waypoint.step, detail: { waypoint: waypoint.waypoint } });
  }

  private configure(step: WhatIfStep): void {
    const version = this.istiod.apply(step, this.now);
    if (this.now >= this.unreachableUntil) this.push(version);
  }

  /** istiod pushes `version`; every component has it `pushDelay` later. */
  private push(version: number): void {
    if (this.pushDelay === 0) this.deliver(version);
    else this.later(this.now + this.pushDelay, { kind: 'istiodPush', version });
  }

  /**
   * A push reached the components. ztunnel's PolicyWatcher then re-checks every open inbound
   * connection against the new policies and closes the ones no longer allowed (istio/ztunnel
   * src/proxy/connection_manager.rs `PolicyWatcher::run`: "closed because it's no longer allowed
   * after a policy update"). It re-checks the connection as established: a connection whose path
   * the new configuration would change (a waypoint added or removed) keeps its own path and
   * identities, which this replay cannot re-check, so it stays open.
   */
  private deliver(version: number): void {
    if (!this.plane.deliver(version)) return;
    this.deliveredAt = this.now;
    this.istiod.release(version);
    for (const [slot, c] of this.open) {
      const now = this.istiod.simulator(version).processFlow(c.flow).result;
      if (now.verdict === 'deny' && now.decidedBy.component === 'destination-ztunnel' && sameHops(c.hops, now.hops)) this.close(slot, 'closed-by-policy-update');
    }
  }

  /** An open connection's duration ran out. */
  private flowClose(slot: number): void {
    const c = this.open.get(slot);
    if (c === undefined) return;
    this.open.delete(slot);
    this.load.closed(this.now, c.crossed);
  }

  private close(slot: number, reason: CloseReason): void {
    const c = this.open.get(slot);
    if (c !== undefined) this.load.closed(this.now, c.crossed);
    this.open.delete(slot);
    this.results[slot] = { ...(this.results[slot] as FlowResult), closedAt: this.now, closedReason: reason };
  }

  /** No pushes until istiod is reachable again; components keep what they have. */
  private istiodUnreachable(until: number): void {
    if (until <= this.unreachableUntil) return;
    this.unreachableUntil = until;
    this.later(until, { kind: 'istiodReachable' });
  }

  /** Components reconnect and receive the newest configuration; ztunnels waiting for one become ready. */
  private istiodReachable(): void {
    if (this.now < this.unreachableUntil) return;
    for (const node of this.plane.awaitingConfiguration) this.plane.ztunnelVersions.set(node, this.istiod.latest);
    this.plane.awaitingConfiguration.clear();
    if (this.istiod.latest > this.plane.delivered) this.push(this.istiod.latest);
  }

  /** Connections through the waypoint end with it; new ones fail until it is up (see `refusal`). */
  private waypointDown(e: EventOf<'waypointDown'>): void {
    if (!hasWaypoint(this.istiod.cluster(this.istiod.latest), e.waypoint)) this.warn(e.source, `waypointDown: there is no waypoint Gateway ${e.waypoint} at ${this.now} s; the fault changes nothing`);
    this.plane.waypointsDown.add(e.waypoint);
    for (const [slot, c] of this.open) if (c.crossed.waypoints.some((w) => w.waypoint === e.waypoint)) this.close(slot, 'waypoint-unavailable');
  }

  /**
   * The ztunnel's open connections end with the old process; it serves nothing until `until`. This is
   * a restart with a gap: with INPOD_PORT_REUSE (default on, istio/ztunnel src/config.rs) a new
   * instance may listen beside the old one during an upgrade, which a timeline states by not writing one.
   */
  private ztunnelRestart(e: EventOf<'ztunnelRestart'>): void {
    if (!hasNode(this.istiod.cluster(this.istiod.latest), e.node)) this.warn(e.source, `ztunnelRestart: there is no node ${e.node}; the fault changes nothing`);
    this.plane.restarting.set(e.node, Math.max(e.until, this.plane.restarting.get(e.node) ?? 0));
    for (const [slot, c] of this.open) if (c.crossed.ztunnels.some((z) => z.node === e.node)) this.close(slot, 'ztunnel-restarting');
    this.later(e.until, { kind: 'ztunnelReady', node: e.node });
  }

  /** The new ztunnel fetches the whole configuration from istiod; while istiod is unreachable it stays not ready. */
  private ztunnelReady(node: string): void {
    if ((this.plane.restarting.get(node) ?? 0) > this.now) return;
    this.plane.restarting.delete(node);
    if (this.now < this.unreachableUntil) this.plane.awaitingConfiguration.add(node);
    else if (this.istiod.latest > this.plane.delivered) this.plane.ztunnelVersions.set(node, this.istiod.latest);
  }

  private warn(source: SourceRef, message: string): void {
    this.warnings.push({ severity: 'warning', code: 'timeline-target-missing', file: source.file, line: source.line, ...(source.column !== undefined ? { column: source.column } : {}), message: `${source.file}:${source.line}: ${message}` });
  }

  report(): TimelineReport {
    const results = this.results;
    return {
      results, phases: phaseSummaries(this.marks, results, this.phaseOf), notes: this.istiod.notes,
      diagnostics: dedupe([...this.istiod.diagnostics, ...this.warnings]), summary: summarizeResults(results), load: this.load.report(),
    };
  }
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}|${d.code}|${d.file ?? ''}|${d.line ?? ''}|${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
