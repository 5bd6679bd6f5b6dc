import fc from 'fast-check';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { FlowDestination, FlowSource, HttpRequest } from '../model/flow.js';
import type { RbacMatch, StringMatch, Workload } from '../model/mesh.js';
import type { Rule } from '../model/policy.js';
import { servicePorts, workloadPorts } from './declared-ports.js';
import type { PortScope } from './flow-destinations.js';
import { cidrBoundaries } from './ipv4.js';
import { clientWorkloads, EXTERNAL_CLIENT, patternMatches, workloadRef } from './flow-sources.js';
import { methodSamples, pathSamples, portSamples, stringSamples, type Samples } from './near-misses.js';

/** What one policy rule asks of a flow: where it applies and, per field, values inside it and near misses. */
interface RuleShape {
  readonly sources: { readonly inside: readonly FlowSource[]; readonly outside: readonly FlowSource[] };
  readonly destinations: readonly FlowDestination[];
  readonly ports: { readonly inside: readonly number[]; readonly outside: readonly number[] };
  readonly method?: Samples;
  readonly path?: Samples;
  readonly headers: readonly (readonly [string, Samples])[];
}

/** The parts of a flow a rule-directed draw decides. */
export interface RuleDirectedParts {
  readonly source: FlowSource;
  readonly destination: FlowDestination;
  readonly http?: HttpRequest;
}

/**
 * Flows aimed at one rule of one policy: to a destination the policy applies to, with each field
 * the rule names drawn inside it (three times in four) or just outside it, so that both the match
 * and the near miss of every field, and the match of the whole rule, come up often. Flows are TCP or
 * HTTP, so destinations are ports declared for TCP; with `scope.undeclared`, any Service port, and pods
 * on the rule's port and its neighbours. Undefined when the mesh has no policy rule with a reachable
 * destination.
 */
export function ruleDirectedArbitrary(index: MeshIndex, scope: PortScope): fc.Arbitrary<RuleDirectedParts> | undefined {
  const shapes = [...waypointShapes(index, scope), ...ztunnelShapes(index, scope)].filter((s) => s.destinations.length > 0);
  if (shapes.length === 0) return undefined;
  return fc.constantFrom(...shapes).chain(drawFrom);
}

function drawFrom(shape: RuleShape): fc.Arbitrary<RuleDirectedParts> {
  const side = <T>(s: { readonly inside: readonly T[]; readonly outside: readonly T[] }): fc.Arbitrary<T> | undefined => {
    if (s.inside.length === 0 && s.outside.length === 0) return undefined;
    if (s.outside.length === 0) return fc.constantFrom(...s.inside);
    if (s.inside.length === 0) return fc.constantFrom(...s.outside);
    return fc.oneof({ arbitrary: fc.constantFrom(...s.inside), weight: 3 }, { arbitrary: fc.constantFrom(...s.outside), weight: 1 });
  };
  const source = side(shape.sources) ?? fc.constant<FlowSource>({ ip: EXTERNAL_CLIENT });
  const port = side(shape.ports) ?? fc.constant(undefined);
  const destination = fc.tuple(fc.constantFrom(...shape.destinations), port).map(([d, p]): FlowDestination =>
    (p === undefined || d.service !== undefined ? d : { ...d, port: p }) as FlowDestination);
  const method = shape.method ? side(shape.method) ?? fc.constant('GET') : fc.constant('GET');
  const path = shape.path ? side(shape.path) ?? fc.constant('/') : fc.constant('/');
  const headers = fc.tuple(...shape.headers.map(([name, s]) => (side(s) ?? fc.constant('')).map((v) => [name, v] as const)));
  const l7 = shape.method !== undefined || shape.path !== undefined || shape.headers.length > 0;
  return fc.record({ source, destination, method, path, headers }).map(({ source: s, destination: d, method: m, path: p, headers: hs }) => ({
    source: s, destination: d,
    ...(l7 ? { http: { method: m, path: p, headers: Object.fromEntries(hs.filter(([, v]) => v !== '')) } } : {}),
  }));
}

/** Rules of waypoint (targetRefs) policies, aimed at the Services whose waypoint chain carries them. */
function waypointShapes(index: MeshIndex, scope: PortScope): RuleShape[] {
  const all = clientWorkloads(index);
  return index.mesh.waypointPolicies.flatMap((p) => {
    const services = index.mesh.services.filter((s) => s.waypoint && s.waypoint.problem === undefined
      && index.waypointPoliciesFor(s.waypoint.waypoint, s.key).some((c) => c.policy.key === p.key));
    const destinations = services.flatMap((s) => servicePorts(s).filter((sp) => scope.undeclared || sp.transports.includes('tcp'))
      .map((sp): FlowDestination => ({ service: s.key, port: sp.port })));
    return p.rules.map((r) => shapeOfRule(r, destinations, all, index));
  });
}

function shapeOfRule(r: Rule, destinations: readonly FlowDestination[], all: readonly Workload[], index: MeshIndex): RuleShape {
  const s = r.from?.[0]?.source ?? {};
  const o = r.to?.[0]?.operation ?? {};
  const header = r.when?.map((w) => [/^request\.headers\[(.+)\]$/.exec(w.key)?.[1]?.toLowerCase(), w.values?.[0]] as const)
    .filter((h): h is readonly [string, string] => h[0] !== undefined && h[1] !== undefined) ?? [];
  return {
    sources: sourceSides(s.principals?.[0], s.namespaces?.[0], s.ipBlocks?.[0], all, index),
    destinations,
    ports: { inside: [], outside: [] },
    ...(o.methods?.[0] ? { method: methodSamples(o.methods[0]) } : {}),
    ...(o.paths?.[0] ? { path: pathSamples(o.paths[0]) } : {}),
    headers: header.map(([name, value]) => [name, stringSamples(value)] as const),
  };
}

/**
 * Groups of ztunnel authorizations, aimed at the pods they are attached to, by pod IP: on each port
 * declared for TCP (the rule's port among them when declared, the others its near misses), or with
 * `scope.undeclared` on the rule's port and its neighbours.
 */
function ztunnelShapes(index: MeshIndex, scope: PortScope): RuleShape[] {
  const all = clientWorkloads(index);
  return index.mesh.ztunnelPolicies.flatMap((p) => {
    const pods = all.filter((w) => w.ips.length > 0 && index.ztunnelPoliciesFor(w).some((c) => c.policy.key === p.key));
    const destinations = scope.undeclared
      ? pods.map((w): FlowDestination => ({ ip: w.ips[0] as string, port: w.ports[0]?.containerPort ?? 80 }))
      : pods.flatMap((w) => workloadPorts(w, index).filter((d) => d.transports.includes('tcp')).map((d): FlowDestination => ({ ip: w.ips[0] as string, port: d.port })));
    return p.groups.map((g) => {
      const from = g.clauses.find((c) => c.origin === 'from')?.matches[0];
      const port = g.clauses.find((c) => c.origin === 'to')?.matches[0]?.destinationPorts[0];
      return {
        sources: from ? sourceSides(first(from.principals), first(from.namespaces), from.sourceIps[0], all, index) : sourceSides(undefined, undefined, undefined, all, index),
        destinations, ports: port === undefined || !scope.undeclared ? { inside: [], outside: [] } : portSamples(port), headers: [],
      };
    });
  });
}

function first(matches: RbacMatch['principals']): string | undefined {
  const m: StringMatch | undefined = matches[0];
  if (m === undefined) return undefined;
  return m.kind === 'presence' ? '*' : m.kind === 'prefix' ? `${m.value}*` : m.kind === 'suffix' ? `*${m.value}` : m.value;
}

/** Sources inside a principal, namespace or CIDR, and near misses: the other namespace, the other service account, the next address. */
function sourceSides(principal: string | undefined, namespace: string | undefined, cidr: string | undefined, all: readonly Workload[], index: MeshIndex): RuleShape['sources'] {
  const ref = (w: Workload): FlowSource => ({ workload: workloadRef(w, index) });
  if (principal !== undefined || namespace !== undefined) {
    const inside = all.filter((w) => (principal === undefined || patternMatches(principal, w.identity.replace(/^spiffe:\/\//, '')))
      && (namespace === undefined || patternMatches(namespace, w.namespace)));
    const outside = all.filter((w) => !inside.includes(w) && inside.some((i) => (i.serviceAccount === w.serviceAccount) !== (i.namespace === w.namespace)));
    return { inside: inside.map(ref), outside: (outside.length > 0 ? outside : all.filter((w) => !inside.includes(w))).map(ref) };
  }
  if (cidr !== undefined) {
    const b = cidrBoundaries(cidr);
    return { inside: b.inside.map((ip) => ({ ip })), outside: b.outside.map((ip) => ({ ip })) };
  }
  return { inside: all.map(ref), outside: [{ ip: EXTERNAL_CLIENT }] };
}
