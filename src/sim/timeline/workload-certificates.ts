import { spiffeIdentity } from '../../istiod/workloads.js';
import type { Cluster } from '../../model/cluster.js';
import type { Flow } from '../../model/flow.js';
import type { FlowResult } from '../../model/result.js';
import type { WhatIfStep } from '../../model/scenario.js';
import type { TimelineEntry } from '../../model/timeline.js';
import { certificateExpiredStep } from '../certificates/certificate-step.js';
import { certificateTimeline, type CertificateTimeline } from '../certificates/certificate-timeline.js';
import { certificateValidAt } from '../certificates/certificate-valid-at.js';
import type { TimeWindow } from '../certificates/istiod-windows.js';
import { refusedResult, type CrossedComponents } from './crossed-components.js';

/**
 * The workload certificates ztunnels hold during a timeline (istio/ztunnel src/identity/manager.rs
 * `SecretManager`: one per identity of the node's workloads, in memory). Each is issued at time 0 of
 * the timeline, before any event of that instant, so a timeline that starts with istiod unreachable
 * starts with fresh certificates; renewal, retries and expiry follow `certificateTimeline` (24 h TTL,
 * renewal at half life, ztunnel's backoff). A ztunnel restart loses them; the ztunnel asks again when
 * it is back. Every identity on one node shares the node's timeline (same issuance, outages and restarts).
 */
export class WorkloadCertificates {
  private readonly byNode = new Map<string, CertificateTimeline>();
  private readonly identities = new Map<string, string>();

  private constructor(
    private readonly cluster: Cluster,
    private readonly unreachable: readonly TimeWindow[],
    private readonly restarts: ReadonlyMap<string, readonly TimeWindow[]>,
    private readonly horizon: number,
  ) {}

  /**
   * The certificates of a timeline, or undefined when it has no `istiodUnreachable`: then every
   * renewal succeeds and a ztunnel that is up always holds a valid certificate, so nothing is computed.
   */
  static of(cluster: Cluster, entries: readonly TimelineEntry<WhatIfStep>[], flows: readonly Flow[]): WorkloadCertificates | undefined {
    const unreachable: TimeWindow[] = [];
    const restarts = new Map<string, TimeWindow[]>();
    let last = 0;
    for (const e of entries) {
      if (e.kind === 'istiodUnreachable') unreachable.push({ from: e.at, until: e.at + e.for });
      if (e.kind === 'ztunnelRestart') restarts.set(e.node, [...(restarts.get(e.node) ?? []), { from: e.at, until: e.at + e.for }]);
      last = Math.max(last, e.at + (e.kind === 'istiodUnreachable' || e.kind === 'ztunnelRestart' ? e.for : 0));
    }
    if (unreachable.length === 0) return undefined;
    for (const f of flows) last = Math.max(last, f.time);
    // The issuance at 0 comes first: an outage from 0 starts just after it.
    const afterIssuance = unreachable.map((w) => ({ from: Math.max(w.from, Number.MIN_VALUE), until: w.until }));
    return new WorkloadCertificates(cluster, afterIssuance, restarts, last + 1);
  }

  /**
   * The flow refused because a ztunnel on its HBONE path has no valid certificate at `time`: the
   * source's ztunnel cannot open the tunnel (src/proxy/pool.rs fetches the source identity's
   * certificate before connecting), the destination's cannot accept it (src/proxy/inbound.rs
   * `fetch_cert`); the source side fails first. Undefined when both hold valid certificates.
   */
  refusal(result: FlowResult, crossed: CrossedComponents, time: number): FlowResult | undefined {
    const first = result.hops[0];
    const last = result.hops[result.hops.length - 1];
    for (const z of crossed.ztunnels) {
      const hop = z.side === 'source' ? first : last;
      if (hop?.transport !== 'hbone') continue;
      const status = certificateValidAt(this.timeline(z.node), time);
      if (status.valid) continue;
      const identity = z.side === 'source' ? hop.peerIdentity ?? result.source : this.podIdentity(hop.to);
      const step = certificateExpiredStep(`${z.side}-ztunnel ${z.node}`, z.side, identity, status);
      return refusedResult(result, { at: step.at, code: step.code, beforeStep: z.step, detail: step.detail }, z);
    }
    return undefined;
  }

  private timeline(node: string): CertificateTimeline {
    let t = this.byNode.get(node);
    if (!t) this.byNode.set(node, (t = certificateTimeline({ requestedAt: 0, horizon: this.horizon, unreachable: this.unreachable, restarts: this.restarts.get(node) ?? [] })));
    return t;
  }

  /** The SPIFFE identity of pod `ns/name`, or the name when the cluster has no such pod. */
  private podIdentity(pod: string): string {
    let id = this.identities.get(pod);
    if (id === undefined) {
      const found = this.cluster.pods.find((p) => `${p.meta.ref.namespace}/${p.meta.ref.name}` === pod);
      id = found ? spiffeIdentity(this.cluster.meshConfig.trustDomain, found.meta.ref.namespace ?? 'default', found.template.serviceAccount ?? 'default') : pod;
      this.identities.set(pod, id);
    }
    return id;
  }
}
