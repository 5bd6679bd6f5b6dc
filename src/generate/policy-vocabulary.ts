import type { Mesh, RbacMatch, StringMatch } from '../model/mesh.js';
import type { Condition, Rule } from '../model/policy.js';

/**
 * The values a mesh's policies name, gathered once: what flows must hit, and miss narrowly, to test
 * the boundaries of those policies. Principals are as policies write them (`td/ns/x/sa/y`, patterns
 * kept); service accounts as `ns/sa`.
 */
export interface PolicyVocabulary {
  readonly principals: readonly string[];
  readonly namespaces: readonly string[];
  readonly serviceAccounts: readonly string[];
  readonly ports: readonly number[];
  readonly cidrs: readonly string[];
  readonly methods: readonly string[];
  readonly paths: readonly string[];
  readonly hosts: readonly string[];
  /** Header name (lower case) to the values conditions name. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
}

interface Collector {
  readonly principals: Set<string>;
  readonly namespaces: Set<string>;
  readonly serviceAccounts: Set<string>;
  readonly ports: Set<number>;
  readonly cidrs: Set<string>;
  readonly methods: Set<string>;
  readonly paths: Set<string>;
  readonly hosts: Set<string>;
  readonly headers: Map<string, Set<string>>;
}

/** Gathers the vocabulary of every ztunnel authorization (as istiod translated it) and every waypoint policy. */
export function policyVocabulary(mesh: Mesh): PolicyVocabulary {
  const c: Collector = {
    principals: new Set(), namespaces: new Set(), serviceAccounts: new Set(), ports: new Set(), cidrs: new Set(),
    methods: new Set(), paths: new Set(), hosts: new Set(), headers: new Map(),
  };
  for (const p of mesh.ztunnelPolicies) {
    for (const g of p.groups) for (const clause of g.clauses) for (const m of clause.matches) addMatch(c, m);
  }
  for (const p of mesh.waypointPolicies) for (const r of p.rules) addRule(c, r);
  return {
    principals: [...c.principals], namespaces: [...c.namespaces], serviceAccounts: [...c.serviceAccounts],
    ports: [...c.ports].sort((a, b) => a - b), cidrs: [...c.cidrs], methods: [...c.methods], paths: [...c.paths],
    hosts: [...c.hosts], headers: new Map([...c.headers].map(([k, v]) => [k, [...v]])),
  };
}

function addMatch(c: Collector, m: RbacMatch): void {
  const values = (xs: readonly StringMatch[]) => xs.map((x) => patternOf(x));
  addAll(c.principals, [...values(m.principals), ...values(m.notPrincipals)]);
  addAll(c.namespaces, [...values(m.namespaces), ...values(m.notNamespaces)]);
  addAll(c.serviceAccounts, [...m.serviceAccounts, ...m.notServiceAccounts].map((s) => `${s.namespace}/${s.serviceAccount}`));
  addAll(c.cidrs, [...m.sourceIps, ...m.notSourceIps]);
  addAll(c.ports, [...m.destinationPorts, ...m.notDestinationPorts]);
}

/** A ztunnel string match back in the form policies write it. */
function patternOf(m: StringMatch): string {
  if (m.kind === 'presence') return '*';
  if (m.kind === 'prefix') return `${m.value}*`;
  if (m.kind === 'suffix') return `*${m.value}`;
  return m.value;
}

function addRule(c: Collector, r: Rule): void {
  for (const f of r.from ?? []) {
    const s = f.source ?? {};
    addAll(c.principals, [...(s.principals ?? []), ...(s.notPrincipals ?? [])]);
    addAll(c.namespaces, [...(s.namespaces ?? []), ...(s.notNamespaces ?? [])]);
    addAll(c.serviceAccounts, [...(s.serviceAccounts ?? []), ...(s.notServiceAccounts ?? [])]);
    addAll(c.cidrs, [...(s.ipBlocks ?? []), ...(s.notIpBlocks ?? []), ...(s.remoteIpBlocks ?? []), ...(s.notRemoteIpBlocks ?? [])]);
  }
  for (const t of r.to ?? []) {
    const o = t.operation ?? {};
    addAll(c.ports, [...(o.ports ?? []), ...(o.notPorts ?? [])].map(Number).filter(Number.isInteger));
    addAll(c.methods, [...(o.methods ?? []), ...(o.notMethods ?? [])]);
    addAll(c.paths, [...(o.paths ?? []), ...(o.notPaths ?? [])]);
    addAll(c.hosts, [...(o.hosts ?? []), ...(o.notHosts ?? [])]);
  }
  for (const w of r.when ?? []) addCondition(c, w);
}

/** `when` keys that name something a flow carries (istio/api conditions). */
function addCondition(c: Collector, w: Condition): void {
  const values = [...(w.values ?? []), ...(w.notValues ?? [])];
  const header = /^request\.headers\[(.+)\]$/.exec(w.key);
  if (header) {
    const name = (header[1] as string).toLowerCase();
    c.headers.set(name, new Set([...(c.headers.get(name) ?? []), ...values]));
  } else if (w.key === 'source.ip' || w.key === 'remote.ip') addAll(c.cidrs, values);
  else if (w.key === 'source.principal') addAll(c.principals, values);
  else if (w.key === 'source.namespace') addAll(c.namespaces, values);
  else if (w.key === 'destination.port') addAll(c.ports, values.map(Number).filter(Number.isInteger));
}

function addAll<T>(set: Set<T>, values: readonly T[]): void {
  for (const v of values) set.add(v);
}
