import { LINT_SEVERITY } from '../../../model/diagnostic.js';
import type { AuthorizationPolicy, Cluster, ObjectMeta } from '../../../model/cluster.js';
import type { Diagnostic, LintCode, Severity } from '../../../model/diagnostic.js';
import type { LabelSelector } from '../../../model/labels.js';
import type { Mesh, RbacGroup, RbacMatch, Workload, ZtunnelAuthorization } from '../../../model/mesh.js';
import { indexMesh, type MeshIndex } from '../../../dataplane/mesh-index.js';
import { selectorMatches } from '../../../match/labels.js';
import { problemReporter } from '../../../istiod/admission/report-problem.js';


/** Everything a lint may look at, indexed once: the accepted objects and what istiod made of them. */
export interface LintContext {
  /** The cluster with the objects istiod's webhook would have rejected left out. */
  readonly cluster: Cluster;
  readonly mesh: Mesh;
  readonly index: MeshIndex;
  /**
   * The manifests describe workloads or Services. Lints that ask what a policy selects or targets run
   * only then: a directory of policies alone says nothing about the cluster they will meet.
   */
  readonly hasInventory: boolean;
  /** Workloads neither ambient nor sidecar captures, waypoint pods excepted: the plaintext clients of the mesh. */
  readonly outOfMesh: readonly Workload[];
  /** Workloads (waypoint pods included) of each namespace. */
  readonly workloadsByNamespace: ReadonlyMap<string, readonly Workload[]>;
  /** The workloads a policy without targetRefs applies to at ztunnel: selector, namespace or mesh scope. */
  targetsOf(policy: AuthorizationPolicy): readonly Workload[];
  /** What istiod sent to ztunnel for the policy, if anything. */
  ztunnelPolicyOf(policy: AuthorizationPolicy): ZtunnelAuthorization | undefined;
}

/** Reports one lint finding at a field of the object (`spec.rules.0`), with the object's file:line:col. */
export type LintReport = (code: LintCode, path: string, message: string) => void;

/** A lint over one AuthorizationPolicy. */
export type PolicyLint = (policy: AuthorizationPolicy, ctx: LintContext, report: LintReport) => void;

/** Builds the context once per validation; lookups are cached so lints stay linear in the manifests. */
export function lintContext(cluster: Cluster, mesh: Mesh, index: MeshIndex = indexMesh(mesh)): LintContext {
  const workloadsByNamespace = new Map<string, Workload[]>();
  for (const w of mesh.workloads) {
    const list = workloadsByNamespace.get(w.namespace);
    if (list) list.push(w);
    else workloadsByNamespace.set(w.namespace, [w]);
  }
  const fromPolicies = new Map<string, ZtunnelAuthorization>();
  for (const z of mesh.ztunnelPolicies) if (z.origin.kind === 'AuthorizationPolicy') fromPolicies.set(z.key, z);
  const root = mesh.meshConfig.rootNamespace;
  const cache = new Map<AuthorizationPolicy, readonly Workload[]>();
  const targetsOf = (policy: AuthorizationPolicy): readonly Workload[] => {
    let found = cache.get(policy);
    if (found) return found;
    const ns = namespaceOf(policy.meta);
    const pool = ns === root ? mesh.workloads : workloadsByNamespace.get(ns) ?? [];
    const selector = policy.spec.selector;
    found = (policy.spec.targetRefs?.length ?? 0) > 0 ? [] : selector ? pool.filter((w) => selectorMatches(selector, w.labels)) : pool;
    cache.set(policy, found);
    return found;
  };
  return {
    cluster, mesh, index, workloadsByNamespace, targetsOf,
    outOfMesh: mesh.workloads.filter((w) => w.enrollment === 'none' && w.waypointFor === undefined),
    hasInventory: cluster.pods.length > 0 || cluster.services.length > 0,
    ztunnelPolicyOf: (policy) => fromPolicies.get(`${namespaceOf(policy.meta)}/${policy.meta.ref.name}`),
  };
}

/**
 * The annotation that names analysis codes not to report on an object, comma-separated, as istioctl
 * analyze reads it (istio/api annotation/annotations.yaml `galley.istio.io/analyze-suppress`).
 */
export const ANALYZE_SUPPRESS = 'galley.istio.io/analyze-suppress';

/**
 * A reporter for lints on one object: severity from {@link LINT_SEVERITY}, position from the field
 * path; lint codes the object's {@link ANALYZE_SUPPRESS} annotation names are not reported.
 */
export function lintReporter(kind: string, meta: ObjectMeta): { report: LintReport; diagnostics: Diagnostic[] } {
  const r = problemReporter(kind, meta);
  const suppressed = new Set((meta.annotations[ANALYZE_SUPPRESS] ?? '').split(',').map((c) => c.trim()).filter(Boolean));
  const report: LintReport = (code, path, message) => {
    if (suppressed.has(code)) return;
    if (LINT_SEVERITY[code] === 'warning') r.warning(code, path, message);
    else r.note(code, path, message);
  };
  return { report, diagnostics: r.diagnostics };
}

export function namespaceOf(meta: ObjectMeta): string {
  return meta.ref.namespace ?? 'default';
}

/** Whether a policy goes to ztunnel rather than to a waypoint: it has no targetRefs. */
export function isZtunnelBound(policy: AuthorizationPolicy): boolean {
  return (policy.spec.targetRefs?.length ?? 0) === 0;
}

/** `app=payments,tier=db`, as a selector reads in a sentence. */
export function formatSelector(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const exprs = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`);
  const all = [...labels, ...exprs];
  return all.length > 0 ? all.join(',') : 'any labels';
}

/** What a ztunnel-bound policy applies to, in words: `workloads app=payments in payments`. */
export function describeTargets(policy: AuthorizationPolicy, root: string): string {
  const ns = namespaceOf(policy.meta);
  const selector = policy.spec.selector;
  if (selector) return `workloads ${formatSelector(selector)} ${ns === root ? 'in every namespace' : `in ${ns}`}`;
  return ns === root ? 'every workload in the mesh' : `every workload in namespace ${ns}`;
}

/** `payments/a, payments/b and 3 more`. */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** ztunnel never matches a Match with no field set (rbac.rs: an empty Match is skipped). */
export function isEmptyMatch(m: RbacMatch): boolean {
  return m.namespaces.length + m.notNamespaces.length + m.principals.length + m.notPrincipals.length
    + m.serviceAccounts.length + m.notServiceAccounts.length + m.sourceIps.length + m.notSourceIps.length
    + m.destinationIps.length + m.notDestinationIps.length + m.destinationPorts.length + m.notDestinationPorts.length === 0;
}

/** A group that can never match: one of its clauses has only empty Matches. */
export function neverMatches(group: RbacGroup): boolean {
  return group.clauses.some((c) => c.matches.length > 0 && c.matches.every(isEmptyMatch));
}

/** `rule 0`, `rules 0 and 2`. */
export function rulesPhrase(indexes: readonly number[]): string {
  if (indexes.length === 1) return `rule ${indexes[0]}`;
  return `rules ${indexes.slice(0, -1).join(', ')} and ${indexes[indexes.length - 1]}`;
}
