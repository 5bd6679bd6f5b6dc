import type { Labels } from '../model/labels.js';
import type { Enrollment, EnrollmentReason } from '../model/mesh.js';

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
  /** The sidecar injector would inject the pod when it is created ({@link injectorWouldInject}). */
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
  // Sidecar injection wins over ambient: an exported pod that was injected carries `sidecar.istio.io/status`
  // (pkg/kube/inject/webhook.go), and the CNI skips pods with it (cni/pkg/util/podutil.go PodHasSidecar).
  if (Object.hasOwn(pod.annotations, SIDECAR_STATUS_ANNOTATION)) return { enrollment: 'sidecar', reason: 'sidecar-injected' };
  if (pod.sidecarInjected) return { enrollment: 'sidecar', reason: 'sidecar-injector' };
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

export const SIDECAR_INJECT = 'sidecar.istio.io/inject';

/** Namespaces the injector never injects (pkg/kube/inject/webhook.go `injectRequired`, `ignoredNamespaces`). */
const INJECTOR_IGNORED_NAMESPACES: readonly string[] = ['kube-system', 'kube-public'];

/** What the sidecar injector looks at when a pod is created. */
export interface InjectionInput {
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly hostNetwork: boolean;
}

/**
 * Whether the sidecar injector injects a pod when it is created. The webhooks of
 * manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml select by labels:
 * namespace `istio-injection=enabled`, or `istio.io/rev` without `istio-injection`, with the pod label
 * `sidecar.istio.io/inject` not `false`; or, in a namespace with neither label, the pod label
 * `sidecar.istio.io/inject=true`. The webhook then applies pkg/kube/inject/webhook.go `injectRequired`:
 * never hostNetwork pods nor kube-system/kube-public, and the label, else the annotation, `inject=false` opts out.
 */
export function injectorWouldInject(pod: InjectionInput): boolean {
  if (pod.hostNetwork || INJECTOR_IGNORED_NAMESPACES.includes(pod.namespace)) return false;
  const optIn = pod.labels[SIDECAR_INJECT] ?? pod.annotations[SIDECAR_INJECT];
  if (optIn === 'false') return false;
  const nsInjection = pod.namespaceLabels['istio-injection'];
  if (nsInjection === 'enabled') return true;
  if (nsInjection !== undefined) return false;
  if (pod.namespaceLabels['istio.io/rev'] !== undefined) return true;
  // object.sidecar-injector.istio.io: the pod *label* opts in (the objectSelector does not read annotations).
  return pod.labels[SIDECAR_INJECT] === 'true';
}
