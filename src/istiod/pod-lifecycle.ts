import type { Pod } from '../model/cluster.js';
import { isIpAddress } from './ip-text.js';

/**
 * A pod that has run to completion: phase `Succeeded` or `Failed` (istio/istio:pkg/kube/util.go
 * `CheckPodTerminal`). Its containers are gone and its `status.podIP` may already belong to another pod.
 */
export function isTerminalPod(pod: Pod): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/**
 * Whether istiod's ambient index makes a workload of a pod
 * (istio/istio:pilot/pkg/serviceregistry/ambient/workloads.go `podWorkloadBuilder`): not when its phase
 * is terminal, not when it has no pod IP, not when one of its IPs does not parse. A pod whose manifest
 * records no status at all (a hand-written manifest, not an export) is taken as running, so that flows
 * can name it; the simulator gives it no IP of its own.
 */
export function isWorkloadPod(pod: Pod): boolean {
  if (isTerminalPod(pod)) return false;
  if (pod.ips.length === 0) return pod.phase === undefined;
  return pod.ips.every(isIpAddress);
}

/**
 * Whether a pod is an endpoint of the Services that select it: not terminal, with an IP, and not being
 * deleted (kubernetes:pkg/controller/util/endpoint/controller_utils.go `ShouldPodBeInEndpoints`, copied
 * as istio/istio:pilot/pkg/serviceregistry/kube/controller/pod.go `shouldPodBeInEndpoints`). In ambient
 * mode istiod marks a pod with a `deletionTimestamp` UNHEALTHY (workloads.go `podWorkloadBuilder`) and
 * ztunnel sends Service traffic only to healthy endpoints (istio/ztunnel:src/state/service.rs
 * `should_include_endpoint`); the pod's own IP still reaches it.
 */
export function isEndpointPod(pod: Pod): boolean {
  return isWorkloadPod(pod) && pod.terminating !== true;
}
