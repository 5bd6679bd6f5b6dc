import type { Cluster, RequestAuthentication } from '../model/cluster.js';
import type { AuthorizationScope, MeshRequestAuthentication, SidecarAuthorization, WaypointPolicyBinding } from '../model/mesh.js';
import type { LabelSelector } from '../model/labels.js';
import { selectorMatches } from '../match/labels.js';
import { DRY_RUN_ANNOTATION, waypointBindingOf } from './waypoint-policies.js';

/**
 * The AuthorizationPolicies destination sidecars enforce: selector policies of the workload's namespace
 * or the root namespace, and selector-less ones (namespace-wide, or mesh-wide from the root namespace).
 * targetRefs policies never reach sidecars (istio/istio:pilot/pkg/model/policyattachment.go
 * `WorkloadPolicyMatcher.ShouldAttachPolicy`; pilot/pkg/model/authorization.go `ListAuthorizationPolicies`).
 */
export function buildSidecarPolicies(cluster: Cluster): SidecarAuthorization[] {
  const root = cluster.meshConfig.rootNamespace;
  return cluster.authorizationPolicies.flatMap((ap): SidecarAuthorization[] => {
    if ((ap.spec.targetRefs ?? []).length > 0) return [];
    const namespace = ap.meta.ref.namespace ?? 'default';
    const selector = ap.spec.selector;
    return [{
      key: `${namespace}/${ap.meta.ref.name}`, ref: ap.meta.ref, source: ap.meta.source, namespace,
      scope: scopeOf(namespace, root, selector), action: ap.spec.action, rules: ap.spec.rules ?? [],
      dryRun: ap.meta.annotations[DRY_RUN_ANNOTATION] === 'true',
      ...(selector !== undefined ? { selector } : {}),
      ...(ap.spec.provider?.name !== undefined ? { provider: ap.spec.provider.name } : {}),
    }];
  });
}

/**
 * RequestAuthentications with where they apply: selector/selector-less ones at sidecars (as for
 * AuthorizationPolicy), targetRefs ones at waypoints (Gateway, Service, root-namespace GatewayClass).
 */
export function buildRequestAuthentications(cluster: Cluster): MeshRequestAuthentication[] {
  const root = cluster.meshConfig.rootNamespace;
  return cluster.requestAuthentications.map((ra: RequestAuthentication): MeshRequestAuthentication => {
    const namespace = ra.meta.ref.namespace ?? 'default';
    const refs = ra.spec.targetRefs ?? [];
    const bindings = refs.flatMap((r): WaypointPolicyBinding[] => {
      const b = waypointBindingOf(r.group ?? '', r.kind, namespace, r.name, root);
      return b ? [b] : [];
    });
    return {
      key: `${namespace}/${ra.meta.ref.name}`, namespace, scope: scopeOf(namespace, root, ra.spec.selector),
      ...(ra.spec.selector !== undefined ? { selector: ra.spec.selector } : {}),
      bindings, jwtRules: ra.spec.jwtRules,
    };
  });
}

function scopeOf(namespace: string, root: string, selector: LabelSelector | undefined): AuthorizationScope {
  if (selector !== undefined) return 'WORKLOAD_SELECTOR';
  return namespace === root ? 'GLOBAL' : 'NAMESPACE';
}

/**
 * Whether a sidecar-scoped object (AuthorizationPolicy or RequestAuthentication without targetRefs)
 * applies to a workload: mesh-wide, its own namespace, or a selector from its namespace or the root one.
 */
export function appliesToSidecar(
  p: { readonly namespace: string; readonly scope: AuthorizationScope; readonly selector?: LabelSelector; readonly bindings?: readonly unknown[] },
  workload: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> },
  root: string,
): boolean {
  if ((p.bindings?.length ?? 0) > 0) return false;
  if (p.scope === 'GLOBAL') return true;
  if (p.namespace !== workload.namespace && p.namespace !== root) return false;
  if (p.scope === 'NAMESPACE') return p.namespace === workload.namespace;
  return p.selector !== undefined && selectorMatches(p.selector, workload.labels);
}
