import type { Labels } from '../../model/labels.js';
import type { Enrollment, EnrollmentReason } from '../../model/mesh.js';

/** Label and annotation names Istio reads when deciding enrollment. */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const SIDECAR_STATUS_ANNOTATION = 'sidecar.istio.io/status';
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Namespaces the CNI node agent never captures by default (`excludeNamespaces`). */
export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ['kube-system'];

export interface EnrollmentInput {
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly hostNetwork: boolean;
  /** The pod runs a waypoint. */
  readonly isWaypoint: boolean;
  /** The pod would get a sidecar injected (for pods generated from controllers). */
  readonly sidecarInjected: boolean;
}

/**
 * Whether the CNI node agent captures a pod into ambient, or it runs a sidecar, or neither.
 * istio/istio:cni/pkg/util/enablement_selector.go `CompiledEnablementSelectors.Matches` with the default
 * `ambient.enablementSelectors`; exclusions from cni/pkg/nodeagent/informers.go and the pod-is-sidecar check.
 */
export function decideEnrollment(pod: EnrollmentInput): { enrollment: Enrollment; reason: EnrollmentReason } {
  // hostNetwork pods share the node's network namespace and are never captured.
  if (pod.hostNetwork) return { enrollment: 'none', reason: 'host-network' };
  // Sidecar injection wins over ambient (the `sidecar.istio.io/status` annotation).
  if (pod.sidecarInjected || Object.hasOwn(pod.annotations, SIDECAR_STATUS_ANNOTATION)) {
    return { enrollment: 'sidecar', reason: 'sidecar-injected' };
  }
  // CNI `excludeNamespaces`, default [kube-system] (informers.go isNamespaceExcluded).
  if (DEFAULT_EXCLUDED_NAMESPACES.includes(pod.namespace)) return { enrollment: 'none', reason: 'excluded-namespace' };
  // Waypoint pods carry `istio.io/dataplane-mode: none` and speak HBONE natively (waypoint.yaml template).
  if (pod.isWaypoint) return { enrollment: 'none', reason: 'waypoint-pod' };
  const podMode = pod.labels[DATAPLANE_MODE_LABEL];
  // (a) pod label `istio.io/dataplane-mode=ambient`, in any namespace.
  if (podMode === 'ambient') return { enrollment: 'ambient', reason: 'pod-label' };
  // (b) namespace label ambient and the pod's label is not `none`.
  if (pod.namespaceLabels[DATAPLANE_MODE_LABEL] === 'ambient') {
    return podMode === 'none'
      ? { enrollment: 'none', reason: 'pod-opted-out' }
      : { enrollment: 'ambient', reason: 'namespace-label' };
  }
  return { enrollment: 'none', reason: 'not-labelled' };
}

/**
 * Whether the sidecar injector would inject a pod made from a controller template: namespace
 * `istio-injection=enabled` (or `istio.io/rev`) unless the pod opts out with `sidecar.istio.io/inject=false`,
 * or the pod opts in with `sidecar.istio.io/inject=true` (istio/istio:pkg/kube/inject/webhook.go `injectRequired`,
 * default injector `neverInjectSelector`/namespaceSelector of the revision webhook).
 */
export function injectorWouldInject(namespaceLabels: Labels, podLabels: Labels): boolean {
  const podInject = podLabels['sidecar.istio.io/inject'];
  if (podInject === 'false') return false;
  if (namespaceLabels['istio-injection'] === 'disabled') return false;
  if (namespaceLabels['istio-injection'] === 'enabled') return true;
  if (namespaceLabels['istio.io/rev'] !== undefined) return true;
  return podInject === 'true';
}
