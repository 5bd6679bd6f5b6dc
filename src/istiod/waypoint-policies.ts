import type { AuthorizationPolicy, Cluster } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { WaypointAuthorization, WaypointPolicyBinding } from '../model/mesh.js';
import { WAYPOINT_CLASS } from './waypoints.js';

export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * AuthorizationPolicies bound with `targetRefs`, which only waypoints enforce
 * (istio/istio:pilot/pkg/model/policyattachment.go `WorkloadPolicyMatcher.ShouldAttachPolicy`:
 * Gateway and Service/ServiceEntry in the policy's namespace; GatewayClass `istio-waypoint` only from
 * the root namespace). Waypoints never use selector or selector-less policies.
 */
export function buildWaypointPolicies(cluster: Cluster): { policies: WaypointAuthorization[]; diagnostics: Diagnostic[] } {
  const policies: WaypointAuthorization[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const ap of cluster.authorizationPolicies) {
    const refs = ap.spec.targetRefs ?? [];
    if (refs.length === 0) continue;
    const ns = ap.meta.ref.namespace ?? 'default';
    const bindings: WaypointPolicyBinding[] = [];
    for (const ref of refs) {
      const binding = waypointBindingOf(ref.group ?? '', ref.kind, ns, ref.name, cluster.meshConfig.rootNamespace);
      if (binding) bindings.push(binding);
      else diagnostics.push(unbound(ap, ref.kind, ref.name));
    }
    policies.push({
      key: `${ns}/${ap.meta.ref.name}`, ref: ap.meta.ref, source: ap.meta.source,
      action: ap.spec.action, rules: ap.spec.rules ?? [], bindings,
      dryRun: ap.meta.annotations[DRY_RUN_ANNOTATION] === 'true',
      ...(ap.spec.provider?.name !== undefined ? { provider: ap.spec.provider.name } : {}),
    });
  }
  return { policies, diagnostics };
}

/** The waypoint binding of one targetRef, or undefined when it attaches to no waypoint. */
export function waypointBindingOf(group: string, kind: string, ns: string, name: string, root: string): WaypointPolicyBinding | undefined {
  if (kind === 'Gateway' && group === GATEWAY_API_GROUP) return { kind: 'Gateway', waypoint: `${ns}/${name}` };
  if (kind === 'Service' && (group === '' || group === 'core')) return { kind: 'Service', service: `${ns}/${name}` };
  if (kind === 'ServiceEntry') return { kind: 'ServiceEntry', serviceEntry: `${ns}/${name}` };
  if (kind === 'GatewayClass' && group === GATEWAY_API_GROUP && name === WAYPOINT_CLASS && ns === root) return { kind: 'GatewayClass' };
  return undefined;
}

function unbound(ap: AuthorizationPolicy, kind: string, name: string): Diagnostic {
  const key = `${ap.meta.ref.namespace}/${ap.meta.ref.name}`;
  return {
    severity: 'warning', code: 'target-ref-not-attached', object: `AuthorizationPolicy ${key}`,
    file: ap.meta.source.file, line: ap.meta.source.line,
    message: `AuthorizationPolicy ${key}: targetRef ${kind} ${name} attaches to no waypoint (GatewayClass ${WAYPOINT_CLASS} is honoured only in the root namespace); the policy has no effect there`,
  };
}
