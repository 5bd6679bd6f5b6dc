import { evaluateFlow } from '../../dataplane/evaluate-flow.js';
import type { MeshIndex } from '../../dataplane/mesh-index.js';
import type { Checkpoint } from '../../model/evaluation.js';
import type { Flow } from '../../model/flow.js';
import type { Waypoint, Workload } from '../../model/mesh.js';
import type { ReasonCode } from '../../model/reason.js';

/** What one enforcement point saw of an admitted flow: the facts a rule has to match there. */
export interface Sighting {
  readonly flow: Flow;
  /** The source workload (`ns/name`) as the result names it, or the client IP. */
  readonly client: string;
  readonly checkpoint: Checkpoint;
  /** The waypoint the flow passed before this (destination) checkpoint, if any. */
  readonly after?: Waypoint;
  /** For a destination checkpoint: the workload it protects. */
  readonly workload?: Workload;
}

/** Observed traffic sorted by what a suggestion does with it. */
export interface Observations {
  readonly flows: number;
  /** Flows allowed with no AuthorizationPolicy at all: the suggestion must keep them allowed. */
  readonly admitted: readonly Flow[];
  readonly sightings: readonly Sighting[];
  /** Flows denied with no AuthorizationPolicy (e.g. plaintext under STRICT), by reason. */
  readonly deniedRegardless: ReadonlyMap<ReasonCode, readonly string[]>;
}

/**
 * Replays every flow through `baseline` (the cluster with its AuthorizationPolicies removed) with the
 * evidence evaluator, and keeps what each enforcement point saw: a rule written from those attributes
 * matches the flow where it is enforced (the destination ztunnel sees the waypoint's identity after a
 * waypoint: istio.io docs ambient/usage/l4-policy; plaintext has `src_identity: None`:
 * istio/ztunnel src/proxy/inbound_passthrough.rs).
 */
export function observeFlows(baseline: MeshIndex, flows: Iterable<Flow>): Observations {
  const admitted: Flow[] = [];
  const sightings: Sighting[] = [];
  const denied = new Map<ReasonCode, string[]>();
  let count = 0;
  for (const flow of flows) {
    count++;
    const evaluation = evaluateFlow(flow, baseline);
    const result = evaluation.result;
    if (result.verdict === 'deny') {
      const ids = denied.get(result.reason) ?? [];
      ids.push(flow.id);
      denied.set(result.reason, ids);
      continue;
    }
    admitted.push(flow);
    let after: Waypoint | undefined;
    for (const { checkpoint } of evaluation.decisions) {
      const workload = checkpoint.workload;
      sightings.push({ flow, client: result.source, checkpoint, ...(after ? { after } : {}), ...(workload ? { workload } : {}) });
      if (checkpoint.component === 'waypoint' && checkpoint.waypoint) after = checkpoint.waypoint;
    }
  }
  return { flows: count, admitted, sightings, deniedRegardless: denied };
}
