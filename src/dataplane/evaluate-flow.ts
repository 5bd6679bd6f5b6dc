import type { Flow } from '../model/flow.js';
import type { DecidedBy, Hop, Step } from '../model/result.js';
import type { AuthorizationDecision } from './authz/types.js';
import { authorizeAtEnvoy } from './authz/envoy-authorize.js';
import { multipleCustomProviders } from './authz/custom-action.js';
import { authorizeAtZtunnel } from './authz/ztunnel-rbac.js';
import { compileMesh } from './compiled-mesh.js';
import type { MeshIndex } from './mesh-index.js';
import { planRoute, type Checkpoint } from './route/plan-route.js';
import type { CheckpointDecision, FlowEvaluation } from '../model/evaluation.js';
export type { CheckpointDecision, FlowEvaluation } from '../model/evaluation.js';

/**
 * Evaluates one flow: plans its path, runs each enforcement point in path order, stops at the first
 * deny. Only destination-side components authorize (istio/ztunnel:src/proxy/inbound.rs is the sole
 * caller of `assert_rbac`; the waypoint enforces targetRefs policies). Total over any flow and mesh.
 */
export function evaluateFlow(flow: Flow, index: MeshIndex, options: { explain?: boolean } = {}): FlowEvaluation {
  const plan = planRoute(flow, index);
  const steps: Step[] = [...plan.steps];
  const hops: Hop[] = [...plan.hops];
  if (plan.terminal) {
    return {
      result: {
        id: flow.id, source: plan.source, destination: plan.destination, verdict: plan.terminal.verdict,
        encrypted: encryptedPath(hops), decidedBy: { component: 'none', name: null }, policy: null, rule: null,
        reason: plan.terminal.reason, hops, steps,
      },
      decisions: [],
      sourceNode: plan.sourceNode,
    };
  }
  const decisions: CheckpointDecision[] = [];
  for (const checkpoint of plan.checkpoints) {
    const decision = decide(checkpoint, index, options.explain === true);
    decisions.push({ checkpoint, decision });
    steps.push(...decisionSteps(checkpoint, decision));
    if (decision.verdict === 'deny') break;
    hops.push(...checkpoint.hopsAfter);
  }
  const deciding = decidingPoint(decisions);
  const decidedBy: DecidedBy = deciding
    ? { component: deciding.checkpoint.component, name: deciding.checkpoint.name }
    : { component: 'none', name: null };
  const last = decisions[decisions.length - 1];
  return {
    result: {
      id: flow.id, source: plan.source, destination: plan.destination,
      verdict: last?.decision.verdict ?? 'allow',
      encrypted: encryptedPath(hops), decidedBy,
      policy: deciding?.decision.policy ?? null, rule: deciding?.decision.rule ?? null,
      reason: deciding?.decision.reason ?? 'no-enforcement-point', hops, steps,
    },
    decisions,
    sourceNode: plan.sourceNode,
  };
}

/** `explain` computes a nearest miss for every ALLOW policy in scope, not only the first. */
function decide(checkpoint: Checkpoint, index: MeshIndex, explain: boolean): AuthorizationDecision {
  if (checkpoint.component === 'waypoint') {
    const service = checkpoint.service ?? null;
    const policies = index.waypointPoliciesFor(checkpoint.name, service);
    const requestAuthentications = index.requestAuthenticationsFor({ waypoint: checkpoint.name, service });
    return authorizeAtEnvoy(policies, checkpoint.attributes, index.mesh.meshConfig, { requestAuthentications, multipleCustomProviders: multipleCustomProviders(index.mesh.istiodEnv), explain });
  }
  if (checkpoint.component === 'sidecar' && checkpoint.workload) {
    // Destination sidecars enforce selector, namespace and root-namespace policies with Envoy semantics
    // (pilot/pkg/security/authz/builder/builder.go), after the port's mTLS mode and request authentication.
    const workload = checkpoint.workload;
    return authorizeAtEnvoy(index.sidecarPoliciesFor(workload), checkpoint.attributes, index.mesh.meshConfig, {
      ...(checkpoint.sidecar ? { mtls: checkpoint.sidecar.mtls } : {}),
      requestAuthentications: index.requestAuthenticationsFor({ workload }), multipleCustomProviders: multipleCustomProviders(index.mesh.istiodEnv), explain,
    });
  }
  // The compiled tables answer which rule matches; the evidence (evaluations, nearest miss) is built here.
  const match = compileMesh(index).ztunnelMatcher(checkpoint.attributes);
  return authorizeAtZtunnel(index.ztunnelPoliciesFor(checkpoint.workload as NonNullable<Checkpoint['workload']>), checkpoint.attributes, { explain, match });
}

/**
 * DESIGN.md `decidedBy`: for a deny, the point that denied; for an allow, the last point whose ALLOW
 * policy matched, else the last point that evaluated.
 */
function decidingPoint(decisions: readonly CheckpointDecision[]): CheckpointDecision | undefined {
  const last = decisions[decisions.length - 1];
  if (!last || last.decision.verdict === 'deny') return last;
  for (let i = decisions.length - 1; i >= 0; i--) {
    const d = decisions[i] as CheckpointDecision;
    if (d.decision.reason === 'allow-policy-matched') return d;
  }
  return last;
}

function decisionSteps(checkpoint: Checkpoint, decision: AuthorizationDecision): Step[] {
  const steps: Step[] = [];
  for (const f of decision.facts ?? []) steps.push({ at: checkpoint.at, code: f.code, effect: 'info', policy: f.policy, detail: f.detail });
  for (const e of decision.evaluations) {
    if (e.notEnforced) {
      const code = e.notEnforced === 'dry-run' ? 'policy-dry-run' : 'policy-action-not-enforced';
      steps.push({ at: checkpoint.at, code, effect: 'info', policy: e.policy, rule: e.rule, detail: { action: e.action, matched: e.matched } });
    }
  }
  const nearMiss = decision.reason === 'no-allow-policy-matched'
    ? decision.evaluations.find((e) => e.action === 'ALLOW' && !e.matched && e.nearMiss)?.nearMiss
    : undefined;
  // Fixed shape, absent values undefined (JSON leaves them out): object spread is slow on this hot path.
  steps.push({
    at: checkpoint.at, code: decision.reason, effect: decision.verdict,
    policy: decision.policy ?? undefined, rule: decision.rule ?? undefined, nearMiss, detail: decision.detail,
  });
  return steps;
}

function encryptedPath(hops: readonly Hop[]): boolean {
  return hops.length > 0 && hops.every((h) => h.transport !== 'plaintext');
}
