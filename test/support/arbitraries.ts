import fc from 'fast-check';
import type { AuthorizationPolicy, Cluster, PeerAuthentication } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';
import type { Rule } from '../../src/model/policy.js';
import { allow, ambientNamespace, cluster, deny, flow, namespace, node, peerAuthentication, pod, policy, service, waypoint } from './builders.js';

/**
 * Small random clusters and flows over a fixed vocabulary, so that policies and flows often meet:
 * namespaces a, b, c (and the root istio-system), apps x, y, z, two nodes, one waypoint in a.
 */
const NAMESPACES = ['a', 'b', 'c'] as const;
const APPS = ['x', 'y', 'z'] as const;
const ns = fc.constantFrom(...NAMESPACES);
const app = fc.constantFrom(...APPS);

const source = fc.record({
  principals: fc.option(fc.array(fc.constantFrom('cluster.local/ns/a/sa/x', 'cluster.local/ns/b/*', '*', 'cluster.local/ns/a/sa/wp'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  notPrincipals: fc.option(fc.constant(['*']), { nil: undefined }),
  namespaces: fc.option(fc.array(ns, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  notNamespaces: fc.option(fc.array(ns, { minLength: 1, maxLength: 1 }), { nil: undefined }),
  ipBlocks: fc.option(fc.constantFrom(['10.0.0.0/16'], ['10.0.1.0/24'], ['203.0.113.0/24']), { nil: undefined }),
}, { requiredKeys: [] });

const operation = fc.record({
  ports: fc.option(fc.constantFrom(['8080'], ['80'], ['9090']), { nil: undefined }),
  methods: fc.option(fc.constantFrom(['GET'], ['POST', 'DELETE']), { nil: undefined }),
  paths: fc.option(fc.constantFrom(['/api/*'], ['/admin'], ['/api/{*}/items']), { nil: undefined }),
}, { requiredKeys: [] });

const rule: fc.Arbitrary<Rule> = fc.record({
  from: fc.option(fc.array(source.map((s) => ({ source: s })), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  to: fc.option(fc.array(operation.map((o) => ({ operation: o })), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  when: fc.option(fc.constantFrom([{ key: 'request.headers[x-env]', values: ['prod'] }], [{ key: 'source.ip', values: ['10.0.0.0/16'] }]), { nil: undefined }),
}, { requiredKeys: [] }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Rule);

/** A structurally valid AuthorizationPolicy bound by selector, namespace-wide, root-wide or targetRefs. */
export const authorizationPolicy: fc.Arbitrary<AuthorizationPolicy> = fc.record({
  name: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'),
  namespace: fc.constantFrom(...NAMESPACES, 'istio-system'),
  action: fc.constantFrom('ALLOW', 'DENY', 'AUDIT'),
  binding: fc.constantFrom('selector', 'namespace', 'service', 'gateway'),
  app,
  rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
}).map(({ name, namespace: n, action, binding, app: a, rules }) => {
  const bound = binding === 'selector' ? { selector: { matchLabels: { app: a } } }
    : binding === 'service' ? { targetRefs: [{ kind: 'Service', group: '', name: a }] }
    : binding === 'gateway' ? { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] }
    : {};
  return policy(`${n}/${action.toLowerCase()}-${name}`, { action: action as 'ALLOW', rules, ...bound });
});

const peerAuth: fc.Arbitrary<PeerAuthentication> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES, 'istio-system'),
  mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'),
}).map(({ namespace: n, mode }) => peerAuthentication(`${n}/default`, mode as 'STRICT'));

export interface ClusterOptions {
  readonly policies?: boolean;
  readonly peerAuthentications?: boolean;
}

/** A random small cluster: pods of apps x/y/z in namespaces a/b/c, their Services, a waypoint, policies. */
export function clusterArbitrary(options: ClusterOptions = {}): fc.Arbitrary<Cluster> {
  return fc.record({
    ambient: fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean() }),
    useWaypoint: fc.boolean(),
    pods: fc.uniqueArray(fc.tuple(ns, app, fc.constantFrom('node-1', 'node-2')), { minLength: 1, maxLength: 6, selector: ([n, a]) => `${n}/${a}` }),
    policies: options.policies === false ? fc.constant([]) : fc.array(authorizationPolicy, { maxLength: 5 }),
    pas: options.peerAuthentications === false ? fc.constant([]) : fc.array(peerAuth, { maxLength: 2 }),
  }).map(({ ambient, useWaypoint, pods, policies, pas }) => {
    let ip = 1;
    return cluster([
      node('node-1', '172.20.0.1'), node('node-2', '172.20.0.2'), namespace('istio-system'),
      ...NAMESPACES.map((n) => (ambient[n] ? ambientNamespace(n, useWaypoint && n === 'a' ? { 'istio.io/use-waypoint': 'wp' } : {}) : namespace(n))),
      waypoint('a/wp'),
      ...pods.map(([n, a, nd]) => pod(`${n}/${a}`, `10.0.${NAMESPACES.indexOf(n)}.${ip++}`, { node: nd })),
      ...pods.map(([n, a], i) => service(`${n}/${a}`, `10.96.0.${i + 1}`)),
      ...dedupe(policies), ...dedupe(pas),
    ]);
  });
}

function dedupe<T extends { meta: { ref: { namespace?: string; name: string } } }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.meta.ref.namespace}/${i.meta.ref.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Random flows over the same vocabulary: pods or external IPs to Services, pods or addresses. */
export const flowArbitrary: fc.Arbitrary<Flow> = fc.record({
  from: fc.oneof(fc.tuple(ns, app).map(([n, a]) => `${n}/${a}`), fc.constantFrom('203.0.113.7', '172.20.0.1')),
  to: fc.oneof(
    fc.tuple(ns, app).map(([n, a]) => `${n}/${a}:80`),
    fc.tuple(ns, app, fc.constantFrom(8080, 9090)).map(([n, a, p]) => `pod:${n}/${a}:${p}`),
  ),
  protocol: fc.constantFrom('tcp', 'http', 'udp'),
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  path: fc.constantFrom('/api/v1', '/api/v1/items', '/admin', '/'),
  env: fc.constantFrom('prod', 'dev'),
}).map(({ from, to, protocol, method, path, env }) =>
  flow(from, to, protocol === 'http' ? { http: { method, path, headers: { 'x-env': env } } } : { protocol: protocol as 'tcp' | 'udp' }));

export { allow, deny };
