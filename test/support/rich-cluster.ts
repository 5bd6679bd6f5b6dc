import fc from 'fast-check';
import { authorizationPolicyObject } from '../../src/generate/small-objects.js';
import { clusterWithPolicies } from '../../src/generate/index.js';
import type { Cluster, Pod } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';
import type { AuthorizationPolicySpec } from '../../src/model/policy.js';

/**
 * Generated clusters with what the small ones lack, each a branch of the verdict path: host-network
 * pods, IPv6 pods, Services with several endpoints and named target ports, a waypoint for all traffic,
 * pod-addressed waypoints, dry-run policies, IPv6 CIDRs, `hosts` and `when` rules at the waypoint.
 */
export const richCluster: fc.Arbitrary<Cluster> = fc.record({
  base: clusterWithPolicies(),
  hostNetwork: fc.boolean(),
  ipv6: fc.boolean(),
  replicas: fc.boolean(),
  namedTarget: fc.boolean(),
  waypointForAll: fc.boolean(),
  podWaypoint: fc.boolean(),
  dryRun: fc.boolean(),
  extraPolicies: fc.subarray(['ipv6-block', 'hosts', 'when', 'ports'] as const),
}).map((o): Cluster => {
  let pods: Pod[] = [...o.base.pods];
  const first = pods[0];
  if (first && o.hostNetwork) pods[0] = { ...first, template: { ...first.template, hostNetwork: true }, ips: ['172.20.0.1'] };
  const second = pods[1];
  if (second && o.ipv6) pods[1] = { ...second, ips: ['fd00::2'] };
  if (o.replicas) {
    pods = pods.concat(pods.map((p, i) => ({ ...p, meta: { ...p.meta, ref: { ...p.meta.ref, name: `${p.meta.ref.name}-b` } }, ips: [`10.9.0.${i + 1}`], nodeName: 'node-2' })));
  }
  if (o.podWaypoint) pods = pods.map((p, i) => (i % 2 === 0 ? { ...p, meta: { ...p.meta, labels: { ...p.meta.labels, 'istio.io/use-waypoint': 'wp' } } } : p));
  const services = o.namedTarget ? o.base.services.map((s) => ({ ...s, ports: s.ports.map((p) => ({ ...p, targetPort: 'http' })) })) : o.base.services;
  const gateways = o.waypointForAll ? o.base.gateways.map((g) => ({ ...g, meta: { ...g.meta, labels: { ...g.meta.labels, 'istio.io/waypoint-for': 'all' } } })) : o.base.gateways;
  const policies = o.dryRun ? o.base.authorizationPolicies.map((p, i) => (i % 2 === 0 ? { ...p, meta: { ...p.meta, annotations: { ...p.meta.annotations, 'istio.io/dry-run': 'true' } } } : p)) : o.base.authorizationPolicies;
  const toWaypoint = { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] };
  const extra = o.extraPolicies.map((kind) => {
    if (kind === 'ipv6-block') return authorizationPolicyObject('b/v6', { action: 'DENY', rules: [{ from: [{ source: { ipBlocks: ['fd00::/64'] } }] }] } as AuthorizationPolicySpec);
    if (kind === 'hosts') return authorizationPolicyObject('a/hosts', { ...toWaypoint, action: 'ALLOW', rules: [{ to: [{ operation: { hosts: ['x.a', 'y.a:80'] } }] }] } as AuthorizationPolicySpec);
    if (kind === 'when') return authorizationPolicyObject('a/when', { ...toWaypoint, action: 'DENY', rules: [{ when: [{ key: 'request.headers[x-env]', values: ['dev'] }] }] } as AuthorizationPolicySpec);
    return authorizationPolicyObject('c/ports', { action: 'ALLOW', rules: [{ to: [{ operation: { ports: ['8080'] } }] }] } as AuthorizationPolicySpec);
  });
  return { ...o.base, pods, services, gateways, authorizationPolicies: [...policies, ...extra] };
});

/** Each flow as drawn, without headers, with an unknown L7 protocol, with a host, and addressed to the IPv6 pod. */
export function richVariants(flow: Flow, i: number): Flow[] {
  const base = { ...flow, id: `${flow.id}#${i}` };
  const out: Flow[] = [base, { ...base, id: `${base.id}-v6`, source: { ip: 'fd00::2' } }];
  if (flow.http) {
    out.push({ ...base, id: `${base.id}-bare`, http: { ...flow.http, headers: {} } });
    out.push({ ...base, id: `${base.id}-host`, http: { ...flow.http, host: i % 2 === 0 ? 'x.a' : 'y.a:80' } });
    out.push({ ...base, id: `${base.id}-tls`, l7Unknown: 'tls' });
  }
  return out;
}
