import fc from 'fast-check';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { FlowSource } from '../model/flow.js';
import type { Workload } from '../model/mesh.js';
import { focusesWorkload } from './focus.js';
import { cidrBoundaries } from './ipv4.js';
import type { PolicyVocabulary } from './policy-vocabulary.js';

/** An address outside every cluster (TEST-NET-3, RFC 5737): the plain "client from the internet". */
export const EXTERNAL_CLIENT = '203.0.113.7';

/** Workloads that can open flows: every pod but waypoint pods, in uid order. */
export function clientWorkloads(index: MeshIndex): Workload[] {
  return index.mesh.workloads.filter((w) => w.waypointFor === undefined).sort((a, b) => (a.uid < b.uid ? -1 : 1));
}

/** How a flow names a workload: its controller when that stands for this pod, else `ns/pod`. */
export function workloadRef(w: Workload, index: MeshIndex): string {
  const c = w.controller;
  if (c !== undefined && !index.workloadByUid.has(c) && index.workloadsByController.get(c)?.[0] === w) return c;
  return w.uid;
}

/**
 * Flow sources: in-mesh and out-of-mesh workloads (those whose identity a policy names, and their near
 * misses: the same service account in another namespace, another service account in the same
 * namespace, come first), external IPs just inside and just outside every CIDR a policy names, and
 * (unless `nodes` is false) node addresses; with `focus`, mostly the workloads it names. Shrinks
 * toward the first workload.
 */
export function sourceArbitrary(index: MeshIndex, vocabulary: PolicyVocabulary, options: { readonly nodes?: boolean; readonly focus?: readonly string[] } = {}): fc.Arbitrary<FlowSource> {
  const all = clientWorkloads(index);
  const focused = options.focus ? all.filter((w) => focusesWorkload(options.focus ?? [], w, index)) : [];
  const named = boundaryWorkloads(all, vocabulary);
  const asSource = (w: Workload): FlowSource => ({ workload: workloadRef(w, index) });
  const ips = [EXTERNAL_CLIENT, ...vocabulary.cidrs.flatMap((c) => { const b = cidrBoundaries(c); return [...b.inside, ...b.outside]; })];
  const nodeIps = options.nodes === false ? [] : Object.values(index.mesh.nodes).flat();
  const choices: fc.WeightedArbitrary<FlowSource>[] = [];
  if (all.length > 0) choices.push({ arbitrary: fc.constantFrom(...all).map(asSource), weight: 4 });
  if (named.length > 0) choices.push({ arbitrary: fc.constantFrom(...named).map(asSource), weight: 4 });
  choices.push({ arbitrary: fc.constantFrom(...new Set(ips)).map((ip): FlowSource => ({ ip })), weight: 2 });
  if (nodeIps.length > 0) choices.push({ arbitrary: fc.constantFrom(...nodeIps).map((ip): FlowSource => ({ ip })), weight: 1 });
  if (focused.length > 0) choices.push({ arbitrary: fc.constantFrom(...focused).map(asSource), weight: 12 });
  return fc.oneof({ withCrossShrink: true }, ...choices);
}

/** Workloads a policy names by principal, namespace or service account, then their near misses. */
function boundaryWorkloads(all: readonly Workload[], v: PolicyVocabulary): Workload[] {
  const hits = all.filter((w) => v.principals.some((p) => patternMatches(p, principalOf(w)))
    || v.namespaces.some((n) => patternMatches(n, w.namespace))
    || v.serviceAccounts.some((sa) => sa === `${w.namespace}/${w.serviceAccount}`));
  const near = all.filter((w) => !hits.includes(w) && hits.some((h) =>
    (h.serviceAccount === w.serviceAccount) !== (h.namespace === w.namespace)));
  return [...hits, ...near];
}

function principalOf(w: Workload): string {
  return w.identity.replace(/^spiffe:\/\//, '');
}

/** Istio's string forms: exact, `prefix*`, `*suffix`, `*` (presence). */
export function patternMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}
