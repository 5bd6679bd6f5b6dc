import type { Diagnostic } from '../model/diagnostic.js';
import type { Workload } from '../model/mesh.js';

/**
 * The workload ztunnel finds at an address several workloads claim (istio/ztunnel:src/state/workload.rs
 * `WorkloadByAddr::get`): the highest rank wins, pods over other workloads, then a workload that speaks
 * HBONE (in ambient mode) over one that does not; among equals `max_by_key` keeps the last one ztunnel
 * received, an order the manifests cannot tell. The simulator then keeps the first by `namespace/name`.
 * `candidates` must be in `namespace/name` order.
 */
export function workloadAtAddress(candidates: readonly Workload[]): { readonly workload: Workload; readonly decided: boolean } | undefined {
  const first = candidates[0];
  if (first === undefined) return undefined;
  const hbone = candidates.filter((w) => w.enrollment === 'ambient');
  const top = hbone.length > 0 ? hbone : candidates;
  return { workload: top[0] as Workload, decided: top.length === 1 };
}

/**
 * Two running pods with one IP (the simulator models one network): a warning naming every pod and
 * where it is written, and which one traffic to the address reaches. A host-network pod shares its
 * node's address by design and is not counted (ztunnel does not index it by address either).
 */
export function duplicatePodIpDiagnostics(workloads: readonly Workload[]): Diagnostic[] {
  const byIp = new Map<string, Workload[]>();
  for (const w of [...workloads].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0))) {
    if (w.hostNetwork) continue;
    for (const ip of new Set(w.ips)) {
      const list = byIp.get(ip);
      if (list) list.push(w);
      else byIp.set(ip, [w]);
    }
  }
  const out: Diagnostic[] = [];
  for (const [ip, list] of byIp) {
    if (list.length < 2) continue;
    const chosen = workloadAtAddress(list);
    if (chosen === undefined) continue;
    const named = list.map((w) => `Pod ${w.uid} (${w.source.file}:${w.source.line})`).join(', ');
    const which = chosen.decided
      ? `ztunnel resolves the address to the pod in ambient mode, Pod ${chosen.workload.uid}, and so does the simulation (ztunnel state/workload.rs WorkloadByAddr::get prefers HBONE workloads)`
      : `which one ztunnel resolves the address to cannot be told from the manifests (among equals it keeps the one it heard of last: ztunnel state/workload.rs WorkloadByAddr::get); the simulation uses Pod ${chosen.workload.uid}`;
    const first = list[0] as Workload;
    out.push({
      severity: 'warning', code: 'duplicate-pod-ip', object: `Pod ${first.uid}`, file: first.source.file, line: first.source.line,
      message: `${list.length} running pods have IP ${ip}: ${named}; ${which}. A live cluster gives each pod its own IP: the export mixes states taken at different times, or an IP was written twice`,
    });
  }
  return out;
}
