import type { FlowResult, Hop, Step } from '../../model/result.js';

/** The data-plane components a decided flow crossed, read from its steps (each names where it was established). */
export interface CrossedComponents {
  /** Nodes whose ztunnel the flow crossed, source side first, with the step index where each first appears. */
  readonly ztunnels: readonly { readonly node: string; readonly side: 'source' | 'destination'; readonly step: number }[];
  /** Waypoints (`ns/name`) the flow was routed through, with the index of the step that routed it there. */
  readonly waypoints: readonly { readonly waypoint: string; readonly step: number }[];
}

/** Components of a result: `source-ztunnel <node>`, `destination-ztunnel <node>`, `waypoint <ns/name>` and `routed-via-waypoint`. */
export function crossedComponents(result: FlowResult): CrossedComponents {
  const ztunnels: { node: string; side: 'source' | 'destination'; step: number }[] = [];
  const waypoints: { waypoint: string; step: number }[] = [];
  result.steps.forEach((s, i) => {
    const ztunnel = /^(source|destination)-ztunnel (.+)$/.exec(s.at);
    if (ztunnel && !ztunnels.some((z) => z.side === ztunnel[1] && z.node === ztunnel[2])) {
      ztunnels.push({ node: ztunnel[2] as string, side: ztunnel[1] as 'source' | 'destination', step: i });
    }
    const waypoint = s.code === 'routed-via-waypoint' ? s.detail?.['waypoint'] : s.at.startsWith('waypoint ') ? s.at.slice('waypoint '.length) : undefined;
    if (typeof waypoint === 'string' && !waypoints.some((w) => w.waypoint === waypoint)) waypoints.push({ waypoint, step: i });
  });
  return { ztunnels, waypoints };
}

/**
 * A flow refused by a fault: the steps established before the failing component, then the refusal,
 * at `at`. Nothing was delivered, so no hop carried it and nothing authorized it. `decidedBy` is the
 * point that refused it when the contract has a name for it (the destination ztunnel); a refusal at
 * the source's ztunnel or for want of a waypoint is decided by no enforcement point (`none`).
 */
export function refusedResult(
  result: FlowResult,
  refusal: { readonly at: string; readonly code: Step['code']; readonly beforeStep: number; readonly detail: Step['detail'] },
  side?: { readonly side: 'source' | 'destination'; readonly node: string },
): FlowResult {
  const steps: Step[] = [...result.steps.slice(0, refusal.beforeStep), { at: refusal.at, code: refusal.code, effect: 'deny', ...(refusal.detail ? { detail: refusal.detail } : {}) }];
  const decidedBy: FlowResult['decidedBy'] = side?.side === 'destination' ? { component: 'destination-ztunnel', name: side.node } : { component: 'none', name: null };
  return {
    ...result, verdict: 'deny', encrypted: false, decidedBy, policy: null, rule: null,
    reason: refusal.code, hops: [] as Hop[], steps,
  };
}

/** True when two results took the same hops (same legs, same identities): the same connection on the wire. */
export function sameHops(a: readonly Hop[], b: readonly Hop[]): boolean {
  return a.length === b.length && a.every((h, i) => {
    const o = b[i] as Hop;
    return h.from === o.from && h.to === o.to && h.transport === o.transport && h.peerIdentity === o.peerIdentity;
  });
}
