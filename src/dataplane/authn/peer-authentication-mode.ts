import type { PeerAuthentication } from '../../model/cluster.js';
import { selectorMatches } from '../../match/labels.js';
import type { SidecarMtls } from '../../model/evaluation.js';
export type { SidecarMtls } from '../../model/evaluation.js';

/**
 * The effective PeerAuthentication mode for a sidecar's inbound container port, as istiod composes it
 * for Envoy (istio/istio:pilot/pkg/security/authn/policy_applier.go `ComposePeerAuthentication`): the
 * oldest selector-less policy of the root namespace, replaced by the namespace's oldest selector-less one
 * unless UNSET, replaced by the oldest matching workload one unless UNSET, whose `portLevelMtls` entry for
 * the port wins unless UNSET. Root-namespace policies with a selector are ignored. Default PERMISSIVE.
 */
export function sidecarMtlsMode(
  pas: readonly PeerAuthentication[], workload: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> },
  port: number, rootNamespace: string,
): SidecarMtls {
  const sorted = [...pas].sort(oldestFirst);
  const nsOf = (p: PeerAuthentication) => p.meta.ref.namespace ?? 'default';
  const mesh = sorted.find((p) => nsOf(p) === rootNamespace && p.spec.selector === undefined);
  const namespace = workload.namespace === rootNamespace ? undefined
    : sorted.find((p) => nsOf(p) === workload.namespace && p.spec.selector === undefined);
  const own = workload.namespace === rootNamespace ? undefined
    : sorted.find((p) => nsOf(p) === workload.namespace && p.spec.selector !== undefined && selectorMatches(p.spec.selector, workload.labels));
  let result: SidecarMtls = { mode: 'PERMISSIVE', policy: null };
  for (const pa of [mesh, namespace, own]) {
    const m = pa?.spec.mtls?.mode ?? 'UNSET';
    if (pa && m !== 'UNSET') result = { mode: m, policy: keyOf(pa) };
  }
  const portMode = own?.spec.portLevelMtls?.[String(port)]?.mode ?? 'UNSET';
  if (own && portMode !== 'UNSET') result = { mode: portMode, policy: keyOf(own) };
  return result;
}

function keyOf(pa: PeerAuthentication): string {
  return `${pa.meta.ref.namespace ?? 'default'}/${pa.meta.ref.name}`;
}

function oldestFirst(a: PeerAuthentication, b: PeerAuthentication): number {
  const ta = a.meta.creationTimestamp ?? '';
  const tb = b.meta.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
