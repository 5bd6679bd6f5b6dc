import type { Controller, Node, Pod } from '../../model/cluster.js';

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash >>> 0;
}

/**
 * Pods for controllers that have none in the input: stable names, IPs hashed into 10.244.0.0/16 avoiding
 * every address already in use, nodes spread over the sorted node names (else the nodes pods mention,
 * else one synthesized `node-1`). The result depends only on the set of objects, not their order.
 */
export function expandControllers(
  controllers: readonly Controller[], pods: readonly Pod[], nodes: readonly Node[], takenIps: Set<string>, ownedReplicaSets: ReadonlySet<string>,
): Pod[] {
  const owned = new Set(pods.flatMap((p) => (p.owner ? [p.owner] : [])));
  let nodeNames = nodes.map((n) => n.meta.ref.name).sort();
  if (nodeNames.length === 0) nodeNames = [...new Set(pods.flatMap((p) => (p.nodeName ? [p.nodeName] : [])))].sort();
  if (nodeNames.length === 0) nodeNames = ['node-1'];
  const out: Pod[] = [];
  const sorted = [...controllers].sort((a, b) => key(a).localeCompare(key(b)));
  for (const c of sorted) {
    const k = key(c);
    // A ReplicaSet made by a Deployment in the input is expanded through its Deployment.
    if (owned.has(k) || ownedReplicaSets.has(k)) continue;
    const count = c.kind === 'DaemonSet' ? nodeNames.length : Math.max(0, Math.min(c.replicas, 1000));
    const hash = (fnv1a(k) % 0xfffff).toString(36).padStart(4, '0').slice(-5);
    for (let i = 0; i < count; i++) {
      const name = c.kind === 'StatefulSet' ? `${c.meta.ref.name}-${i}` : `${c.meta.ref.name}-${hash}-${i}`;
      const node = c.kind === 'DaemonSet' ? nodeNames[i] : nodeNames[(fnv1a(`${k}/${i}`)) % nodeNames.length];
      out.push({
        kind: 'Pod',
        meta: { ...c.meta, ref: { kind: 'Pod', namespace: c.meta.ref.namespace ?? 'default', name }, labels: c.template.labels, annotations: c.template.annotations },
        template: c.template, ips: [stableIp(`${k}/${i}`, takenIps)], owner: k, generated: true,
        ...(node !== undefined ? { nodeName: node } : {}),
      });
    }
  }
  return out;
}

function key(c: Controller): string {
  return `${c.meta.ref.namespace ?? 'default'}/${c.meta.ref.name}`;
}

function stableIp(k: string, taken: Set<string>): string {
  const h = fnv1a(k);
  for (let attempt = 0; attempt < 65536; attempt++) {
    const low = (h + attempt * 7919) & 0xffff;
    if ((low & 0xff) === 0 || (low & 0xff) === 255) continue;
    const ip = `10.244.${low >>> 8}.${low & 0xff}`;
    if (!taken.has(ip)) {
      taken.add(ip);
      return ip;
    }
  }
  throw new Error('10.244.0.0/16 is exhausted by generated pods');
}
