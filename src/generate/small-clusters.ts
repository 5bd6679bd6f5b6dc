import fc from 'fast-check';
import type { AuthorizationPolicy, Cluster, PeerAuthentication } from '../model/cluster.js';
import type { Flow, FlowDestination, FlowSource } from '../model/flow.js';
import type { MtlsMode, Rule } from '../model/policy.js';
import {
  authorizationPolicyObject, clusterOf, namespaceObject, nodeObject, peerAuthenticationObject, podObject, serviceObject, waypointObject,
} from './small-objects.js';

/**
 * Small random clusters over a fixed vocabulary, so that generated policies and flows often meet:
 * namespaces a, b, c (and the root istio-system), apps x, y, z, two nodes, a waypoint `a/wp`. For
 * testing the engine itself (metamorphic and property tests).
 */
export const SMALL_NAMESPACES = ['a', 'b', 'c'] as const;
export const SMALL_APPS = ['x', 'y', 'z'] as const;
const ns = fc.constantFrom(...SMALL_NAMESPACES);
const app = fc.constantFrom(...SMALL_APPS);
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const source = fc.record({
  principals: optional(fc.array(fc.constantFrom('cluster.local/ns/a/sa/x', 'cluster.local/ns/b/*', '*', 'cluster.local/ns/a/sa/wp'), { minLength: 1, maxLength: 2 })),
  notPrincipals: optional(fc.constant(['*'])),
  namespaces: optional(fc.array(ns, { minLength: 1, maxLength: 2 })),
  notNamespaces: optional(fc.array(ns, { minLength: 1, maxLength: 1 })),
  ipBlocks: optional(fc.constantFrom(['10.0.0.0/16'], ['10.0.1.0/24'], ['203.0.113.0/24'])),
}, { requiredKeys: [] });

const operation = fc.record({
  ports: optional(fc.constantFrom(['8080'], ['80'], ['9090'])),
  methods: optional(fc.constantFrom(['GET'], ['POST', 'DELETE'])),
  paths: optional(fc.constantFrom(['/api/*'], ['/admin'], ['/api/{*}/items'])),
}, { requiredKeys: [] });

/** One AuthorizationPolicy rule with sources, operations and conditions from the small vocabulary. */
export const smallRule: fc.Arbitrary<Rule> = fc.record({
  from: optional(fc.array(source.map((s) => ({ source: s })), { minLength: 1, maxLength: 2 })),
  to: optional(fc.array(operation.map((o) => ({ operation: o })), { minLength: 1, maxLength: 2 })),
  when: optional(fc.constantFrom([{ key: 'request.headers[x-env]', values: ['prod'] }], [{ key: 'source.ip', values: ['10.0.0.0/16'] }])),
}, { requiredKeys: [] }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Rule);

/** A structurally valid AuthorizationPolicy bound by selector, namespace-wide, root-wide or targetRefs. */
export const smallAuthorizationPolicy: fc.Arbitrary<AuthorizationPolicy> = fc.record({
  name: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'),
  namespace: fc.constantFrom(...SMALL_NAMESPACES, 'istio-system'),
  action: fc.constantFrom('ALLOW', 'DENY', 'AUDIT'),
  binding: fc.constantFrom('selector', 'namespace', 'service', 'gateway'),
  app,
  rules: fc.array(smallRule, { minLength: 1, maxLength: 3 }),
}).map(({ name, namespace: n, action, binding, app: a, rules }) => {
  const bound = binding === 'selector' ? { selector: { matchLabels: { app: a } } }
    : binding === 'service' ? { targetRefs: [{ kind: 'Service', group: '', name: a }] }
    : binding === 'gateway' ? { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] }
    : {};
  return authorizationPolicyObject(`${n}/${action.toLowerCase()}-${name}`, { action: action as 'ALLOW', rules, ...bound });
});

const peerAuthentication: fc.Arbitrary<PeerAuthentication> = fc.record({
  namespace: fc.constantFrom(...SMALL_NAMESPACES, 'istio-system'),
  mode: fc.constantFrom<MtlsMode>('STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'),
}).map(({ namespace: n, mode }) => peerAuthenticationObject(`${n}/default`, mode));

export interface SmallClusterOptions {
  /** Up to 5 AuthorizationPolicies. Default false for `smallCluster`, true for `clusterWithPolicies`. */
  readonly policies?: boolean;
  /** Up to 2 namespace-wide PeerAuthentications. Same defaults. */
  readonly peerAuthentications?: boolean;
}

/** A random small cluster: pods of apps x/y/z in namespaces a/b/c with their Services and a waypoint; no policies by default. */
export function smallCluster(options: SmallClusterOptions = {}): fc.Arbitrary<Cluster> {
  return fc.record({
    ambient: fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean() }),
    useWaypoint: fc.boolean(),
    pods: fc.uniqueArray(fc.tuple(ns, app, fc.constantFrom('node-1', 'node-2')), { minLength: 1, maxLength: 6, selector: ([n, a]) => `${n}/${a}` }),
    policies: options.policies === true ? fc.array(smallAuthorizationPolicy, { maxLength: 5 }) : fc.constant([]),
    pas: options.peerAuthentications === true ? fc.array(peerAuthentication, { maxLength: 2 }) : fc.constant([]),
  }).map(({ ambient, useWaypoint, pods, policies, pas }) => clusterOf([
    nodeObject('node-1', '172.20.0.1'), nodeObject('node-2', '172.20.0.2'), namespaceObject('istio-system'),
    ...SMALL_NAMESPACES.map((n) => namespaceObject(n, {
      ...(ambient[n] ? { 'istio.io/dataplane-mode': 'ambient' } : {}),
      ...(ambient[n] && useWaypoint && n === 'a' ? { 'istio.io/use-waypoint': 'wp' } : {}),
    })),
    waypointObject('a/wp', '10.96.99.1'),
    ...pods.map(([n, a, node], i) => podObject(`${n}/${a}`, `10.0.${SMALL_NAMESPACES.indexOf(n)}.${i + 1}`, node)),
    ...pods.map(([n, a], i) => serviceObject(`${n}/${a}`, `10.96.0.${i + 1}`)),
    ...firstByName(policies), ...firstByName(pas),
  ]));
}

/** A random small cluster with up to 5 AuthorizationPolicies and 2 PeerAuthentications. */
export function clusterWithPolicies(options: SmallClusterOptions = {}): fc.Arbitrary<Cluster> {
  return smallCluster({ policies: options.policies ?? true, peerAuthentications: options.peerAuthentications ?? true });
}

function firstByName<T extends { readonly meta: { readonly ref: { readonly namespace?: string; readonly name: string } } }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.meta.ref.namespace}/${i.meta.ref.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Flows over the small vocabulary, independent of the cluster drawn: pods or external IPs to Services, pods or addresses. */
export const smallClusterFlow: fc.Arbitrary<Flow> = fc.record({
  source: fc.oneof(
    fc.tuple(ns, app).map(([n, a]): FlowSource => ({ workload: `${n}/${a}` })),
    fc.constantFrom('203.0.113.7', '172.20.0.1').map((ip): FlowSource => ({ ip })),
  ),
  destination: fc.oneof(
    fc.tuple(ns, app).map(([n, a]): FlowDestination => ({ service: `${n}/${a}`, port: 80 })),
    fc.tuple(ns, app, fc.constantFrom(8080, 9090)).map(([n, a, port]): FlowDestination => ({ workload: `${n}/${a}`, port })),
  ),
  protocol: fc.constantFrom('tcp', 'http', 'udp'),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  path: fc.constantFrom('/api/v1', '/api/v1/items', '/admin', '/'),
  env: fc.constantFrom('prod', 'dev'),
}).map(({ source, destination, protocol, method, path, env }): Flow => ({
  id: `${source.workload ?? source.ip}->${destination.service ?? destination.workload}:${destination.port}`,
  source, destination, protocol: protocol as Flow['protocol'],
  ...(protocol === 'http' ? { http: { method, path, headers: { 'x-env': env } } } : {}),
  time: 0, origin: { kind: 'generated' },
}));
