import type { MeshIndex } from '../../dataplane/mesh-index.js';
import type { SuggestedOperation, SuggestedPolicy, SuggestedRule } from '../../model/suggestion.js';
import type { Sighting } from './observations.js';
import { generalisePaths } from './path-shapes.js';
import { clientsByPrincipal, evidenceOf, fromEntries, groupBy, policyName, seenSource } from './sources.js';

/**
 * targetRefs ALLOW policies at the waypoint: one per Service the traffic was addressed to (traffic to a
 * pod through its waypoint: one on the waypoint Gateway). Each rule names the clients seen (principals,
 * or whole namespaces) and the operations they used: per port and method, the paths (generalised with
 * `{*}` templates) and the hosts. HTTP attributes are enforced only here, at the waypoint's Envoy
 * (istio.io docs ambient/usage/l7-features; ztunnel drops them). Traffic with no readable HTTP
 * (TCP, application TLS) is admitted by port alone.
 */
export function waypointPolicies(index: MeshIndex, sightings: readonly Sighting[]): SuggestedPolicy[] {
  const atWaypoint = sightings.filter((s) => s.checkpoint.component === 'waypoint' && s.checkpoint.waypoint);
  const out: SuggestedPolicy[] = [];
  for (const [key, group] of groupBy(atWaypoint, (s) => JSON.stringify(s.checkpoint.service ? ['Service', s.checkpoint.service] : ['Gateway', s.checkpoint.name]))) {
    const [kind, target] = JSON.parse(key) as ['Service' | 'Gateway', string];
    const [namespace, name] = target.split('/') as [string, string];
    const targetRef = kind === 'Service' ? { kind, group: '', name } : { kind, group: 'gateway.networking.k8s.io', name };
    out.push({
      namespace, name: policyName(name, 'waypoint'), enforcedBy: 'waypoint', targetRef,
      protects: [target], rules: rulesFor(index, group), evidence: evidenceOf(group),
    });
  }
  return out;
}

/**
 * One rule per set of clients that used the same operations, L4 and HTTP operations in rules of their
 * own: on traffic the waypoint does not parse as HTTP, a rule with any HTTP attribute is left out whole
 * (istio/istio pilot/pkg/security/authz/builder: HTTP-only fields in a TCP filter), so an L4 operation
 * beside an HTTP one would not admit it.
 */
function rulesFor(index: MeshIndex, group: readonly Sighting[]): SuggestedRule[] {
  const clients = clientsByPrincipal(group, (s) => s.client);
  const bySource = [...groupBy(group, (s) => JSON.stringify(seenSource(s))).values()];
  const rules: SuggestedRule[] = [];
  for (const layer of ['l4', 'http'] as const) {
    const withOps = bySource.map((sightings) => ({ source: seenSource(sightings[0] as Sighting), ops: operationsOf(sightings).filter((op) => (op.methods ? 'http' : 'l4') === layer) }));
    for (const [operations, sets] of groupBy(withOps.filter((x) => x.ops.length > 0), (x) => JSON.stringify(x.ops))) {
      const sources = sets.map((x) => x.source);
      const plaintext = sources.some((s) => s.kind === 'ip');
      rules.push({
        from: fromEntries(index, sources, clients), to: JSON.parse(operations) as SuggestedOperation[],
        ...(plaintext ? { why: 'plaintext clients have no principal; only their IPs can admit them' } : {}),
      });
    }
  }
  return rules;
}

/** Operations seen: per port and method the generalised paths and (when every request had one) the hosts; per port without HTTP, the port. */
function operationsOf(sightings: readonly Sighting[]): SuggestedOperation[] {
  const ops: SuggestedOperation[] = [];
  const byPortMethod = groupBy(sightings, (s) => {
    const a = s.checkpoint.attributes;
    return a.http && !a.l7Unknown ? `${a.dstPort}\u0000${a.http.method}` : `${a.dstPort}`;
  });
  for (const [key, list] of [...byPortMethod].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [port, method] = key.split('\u0000') as [string, string | undefined];
    if (method === undefined) {
      ops.push({ ports: [port] });
      continue;
    }
    const requests = list.map((s) => s.checkpoint.attributes.http).filter((h) => h !== undefined);
    const hosts = requests.every((h) => h.host !== undefined && h.host !== '') ? [...new Set(requests.map((h) => (h.host as string).toLowerCase()))].sort() : [];
    ops.push({ ports: [port], methods: [method], paths: generalisePaths(requests.map((h) => h.path)), ...(hosts.length > 0 ? { hosts } : {}) });
  }
  return ops;
}
