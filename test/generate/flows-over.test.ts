import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowsOver, generateFlows } from '../../src/generate/index.js';
import { prepareMesh } from '../../src/index.js';
import type { Cluster, Service } from '../../src/model/cluster.js';
import type { Flow, FlowSource } from '../../src/model/flow.js';
import type { Rule } from '../../src/model/policy.js';
import { allow, ambientNamespace, cluster, pod, service, waypoint } from '../support/builders.js';

/** a/api behind waypoint a/wp; a/x and b/x share a service account name in two namespaces. */
function guardedObjects(rules: readonly Rule[]): Parameters<typeof cluster>[0][number][] {
  return [
    ambientNamespace('a', { 'istio.io/use-waypoint': 'wp' }), ambientNamespace('b'), waypoint('a/wp'),
    pod('a/x', '10.0.0.10'), pod('b/x', '10.0.1.10'), pod('a/api', '10.0.0.20'),
    service('a/api', '10.96.0.20', { port: 8080, targetPort: 8080 }),
    allow('a/guard', rules, { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] }),
  ];
}

function guarded(rules: readonly Rule[]): Cluster {
  return cluster(guardedObjects(rules));
}

const ONE_OF_EACH_RULES: Rule[] = [{
  from: [{ source: { principals: ['cluster.local/ns/a/sa/x'] } }],
  to: [{ operation: { paths: ['/api/*'], ports: ['8080'] } }],
}];
const ONE_OF_EACH_OBJECTS = guardedObjects(ONE_OF_EACH_RULES);
const ONE_OF_EACH = cluster(ONE_OF_EACH_OBJECTS);

type Side = 'match' | 'near-miss' | 'other';

/** Which side of each field of the policy a flow falls on, read from the flow itself. */
function sides(f: Flow, c: Cluster): { principal: Side; path: Side; port: Side } {
  const identity = f.source.workload ? identityOf(f.source.workload, c) : undefined;
  const principal = identity === 'a/x' ? 'match' : identity === 'b/x' ? 'near-miss' : 'other';
  const p = f.http?.path;
  const path = p === undefined ? 'other' : p.startsWith('/api/') ? 'match' : p.startsWith('/api') ? 'near-miss' : 'other';
  const d = f.destination.port;
  const port = d === 8080 ? 'match' : Math.abs(d - 8080) === 1 ? 'near-miss' : 'other';
  return { principal, path, port };
}

const meshes = new WeakMap<Cluster, ReturnType<typeof prepareMesh>>();

function identityOf(ref: string, c: Cluster): string | undefined {
  if (!meshes.has(c)) meshes.set(c, prepareMesh(c));
  const w = meshes.get(c)?.workloadByUid.get(ref);
  return w ? `${w.namespace}/${w.serviceAccount}` : undefined;
}

function hits(flows: readonly Flow[], c: Cluster): Set<string> {
  const out = new Set<string>();
  for (const f of flows) for (const [field, side] of Object.entries(sides(f, c))) out.add(`${field}:${side}`);
  return out;
}

const WANTED = ['principal:match', 'principal:near-miss', 'path:match', 'path:near-miss', 'port:match', 'port:near-miss'];

/** What a generator that knows nothing of the policies draws: any workload or IP, any port, any path. */
function uniformFlows(c: Cluster): fc.Arbitrary<Flow> {
  const workloads = c.pods.map((p) => `${p.meta.ref.namespace}/${p.meta.ref.name}`);
  return fc.record({
    source: fc.oneof(fc.constantFrom(...workloads).map((workload): FlowSource => ({ workload })), fc.ipV4().map((ip): FlowSource => ({ ip }))),
    ip: fc.constantFrom(...c.pods.map((p) => p.ips[0] as string)),
    port: fc.integer({ min: 1, max: 65535 }),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    path: fc.webPath(),
  }).map(({ source, ip, port, method, path }): Flow => ({
    id: 'uniform', source, destination: { ip, port }, protocol: 'http', http: { method, path: path || '/', headers: {} }, time: 0,
  }));
}

const DECLARED_SIDES = ['principal:match', 'principal:near-miss', 'path:match', 'path:near-miss', 'port:match'];

describe('flowsOver() draws flows on both sides of every boundary its cluster\'s policies name', () => {
  it.each([1, 2, 3, 4, 5])('hits the match and the near miss of a principal and a path prefix, and the port, within 200 runs (seed %i), where uniform flows miss the path\'s near miss', (seed) => {
    const biased = hits(fc.sample(flowsOver(ONE_OF_EACH), { numRuns: 200, seed }), ONE_OF_EACH);
    const uniform = hits(fc.sample(uniformFlows(ONE_OF_EACH), { numRuns: 200, seed }), ONE_OF_EACH);
    expect(DECLARED_SIDES.filter((w) => !biased.has(w))).toEqual([]);
    expect(uniform.has('path:near-miss')).toBe(false);
  });

  it.each([1, 2, 3])('never draws the port next to a policy\'s port when the manifests do not declare it (seed %i)', (seed) => {
    expect(hits(fc.sample(flowsOver(ONE_OF_EACH), { numRuns: 300, seed }), ONE_OF_EACH).has('port:near-miss')).toBe(false);
  });

  it.each([1, 2, 3, 4, 5])('hits the near miss of a port too with undeclaredPorts (seed %i), where uniform flows miss it', (seed) => {
    const biased = hits(fc.sample(flowsOver(ONE_OF_EACH, { undeclaredPorts: true }), { numRuns: 200, seed }), ONE_OF_EACH);
    const uniform = hits(fc.sample(uniformFlows(ONE_OF_EACH), { numRuns: 200, seed }), ONE_OF_EACH);
    expect(WANTED.filter((w) => !biased.has(w))).toEqual([]);
    expect(uniform.has('port:near-miss')).toBe(false);
  });

  it('draws client IPs just inside and just outside an ipBlocks CIDR, the method and another, the header value and a near one', () => {
    const c = guarded([{
      from: [{ source: { ipBlocks: ['198.51.100.0/24'] } }],
      to: [{ operation: { methods: ['DELETE'] } }],
      when: [{ key: 'request.headers[x-tenant]', values: ['blue'] }],
    }]);
    const flows = fc.sample(flowsOver(c), { numRuns: 200, seed: 7 });
    const ips = new Set(flows.map((f) => f.source.ip));
    expect([...ips]).toEqual(expect.arrayContaining(['198.51.100.0', '198.51.100.255', '198.51.99.255', '198.51.101.0']));
    const methods = new Set(flows.map((f) => f.http?.method));
    expect([...methods]).toEqual(expect.arrayContaining(['DELETE', 'PATCH']));
    const tenants = new Set(flows.map((f) => f.http?.headers['x-tenant']));
    expect([...tenants]).toEqual(expect.arrayContaining(['blue', 'bluex', 'blu']));
  });

  it('addresses Services by name and by cluster IP, pods by IP, and an address outside the cluster', () => {
    const flows = fc.sample(flowsOver(ONE_OF_EACH), { numRuns: 200, seed: 11 });
    expect(flows.some((f) => f.destination.service === 'a/api')).toBe(true);
    expect(flows.some((f) => f.destination.ip === '10.96.0.20')).toBe(true);
    expect(flows.some((f) => f.destination.ip === '10.0.0.20')).toBe(true);
    expect(flows.some((f) => f.destination.ip === '203.0.113.80')).toBe(true);
    expect(new Set(flows.map((f) => f.protocol))).toEqual(new Set(['tcp', 'http']));
  });

  it('sends UDP only to a port declared for UDP, and both TCP and UDP to a port declared for both (kubernetes pkg/proxy/iptables/proxier.go: one rule per port and protocol)', () => {
    const dns: Service = {
      ...service('a/dns', '10.96.0.10', { port: 53, targetPort: 53 }),
      ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }],
    };
    const syslog: Service = { ...service('a/syslog', '10.96.0.11', { port: 514, targetPort: 514 }), ports: [{ name: 'syslog', port: 514, targetPort: 514, protocol: 'UDP' }] };
    const c = cluster([...ONE_OF_EACH_OBJECTS, pod('a/dns', '10.0.0.53', { ports: [] }), dns, pod('a/syslog', '10.0.0.54', { ports: [] }), syslog]);
    const flows = fc.sample(flowsOver(c), { numRuns: 600, seed: 4 });
    const udp = flows.filter((f) => f.protocol === 'udp');
    expect(udp.length).toBeGreaterThan(0);
    for (const f of udp) expect([53, 514]).toContain(f.destination.port);
    const toSyslog = flows.filter((f) => f.destination.service === 'a/syslog' || f.destination.ip === '10.96.0.11' || f.destination.ip === '10.0.0.54');
    expect(toSyslog.length).toBeGreaterThan(0);
    expect(new Set(toSyslog.map((f) => f.protocol))).toEqual(new Set(['udp']));
    const toDns = flows.filter((f) => f.destination.service === 'a/dns');
    expect(new Set(toDns.map((f) => f.protocol === 'udp' ? 'udp' : 'tcp'))).toEqual(new Set(['tcp', 'udp']));
  });

  it('sends TCP, HTTP and UDP to any port with undeclaredPorts, and leaves pods that declare no port out without it', () => {
    const bare = cluster([...ONE_OF_EACH_OBJECTS, pod('b/bare', '10.0.1.99', { ports: [] })]);
    expect(fc.sample(flowsOver(bare), { numRuns: 400, seed: 2 }).filter((f) => f.destination.ip === '10.0.1.99')).toEqual([]);
    const loose = fc.sample(flowsOver(bare, { undeclaredPorts: true }), { numRuns: 400, seed: 2 });
    expect(new Set(loose.map((f) => f.protocol))).toEqual(new Set(['tcp', 'http', 'udp']));
    expect(loose.some((f) => f.destination.ip === '10.0.1.99')).toBe(true);
  });

  it('never uses a waypoint pod as a client', () => {
    const flows = fc.sample(flowsOver(ONE_OF_EACH), { numRuns: 300, seed: 3 });
    expect(flows.filter((f) => f.source.workload?.startsWith('a/wp'))).toEqual([]);
  });

  it('leaves UDP out when asked', () => {
    expect(fc.sample(flowsOver(ONE_OF_EACH, { udp: false }), { numRuns: 200, seed: 5 }).filter((f) => f.protocol === 'udp')).toEqual([]);
  });

  it('shrinks toward a plain TCP flow from a workload to the first Service port (not from that Service\'s own pod)', () => {
    const details = fc.check(fc.property(flowsOver(ONE_OF_EACH), () => false), { seed: 42 });
    const f = details.counterexample?.[0] as Flow | undefined;
    expect(f).toMatchObject({ destination: { service: 'a/api', port: 8080 }, protocol: 'tcp' });
    expect(f?.http).toBeUndefined();
    expect(['a/x', 'b/x']).toContain(f?.source.workload);
  });

  it('aims a share of flows at whole rules: the principal, path and port all match together', () => {
    const flows = fc.sample(flowsOver(ONE_OF_EACH), { numRuns: 200, seed: 13 });
    const whole = flows.filter((f) => Object.values(sides(f, ONE_OF_EACH)).every((s) => s === 'match'));
    expect(whole.length).toBeGreaterThan(10);
  });
});

describe('generateFlows()', () => {
  it('gives the same flows for the same seed, with ids generated-1, generated-2, ...', () => {
    const a = generateFlows(ONE_OF_EACH, { count: 20, seed: 9 });
    expect(generateFlows(ONE_OF_EACH, { count: 20, seed: 9 })).toEqual(a);
    expect(a.map((f) => f.id).slice(0, 3)).toEqual(['generated-1', 'generated-2', 'generated-3']);
    expect(generateFlows(ONE_OF_EACH, { count: 20, seed: 10 })).not.toEqual(a);
  });

  it('gives no flows for a count of zero', () => {
    expect(generateFlows(ONE_OF_EACH, { count: 0, seed: 1 })).toEqual([]);
  });
});
