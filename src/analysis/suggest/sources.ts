import type { MeshIndex } from '../../dataplane/mesh-index.js';
import type { SuggestedSource, SuggestionEvidence } from '../../model/suggestion.js';
import type { Sighting } from './observations.js';

/** A source as an enforcement point authenticates it: a principal, or (plaintext) only an IP. */
export type SeenSource = { readonly kind: 'principal'; readonly value: string } | { readonly kind: 'ip'; readonly value: string };

/**
 * The source a rule must name for a sighting: the peer's principal (the SPIFFE ID without
 * `spiffe://`, as AuthorizationPolicy `principals` are written), or for plaintext, which has no
 * principal (istio/ztunnel src/rbac.rs: principal and namespace matches need `src_identity`), its IP.
 */
export function seenSource(s: Sighting): SeenSource {
  const identity = s.checkpoint.attributes.srcIdentity;
  if (identity === null) return { kind: 'ip', value: s.checkpoint.attributes.srcIp };
  return { kind: 'principal', value: identity.replace(/^spiffe:\/\//, '') };
}

/**
 * `from` entries for a set of sources: principals, replaced by the namespace when every workload of
 * that namespace with an identity called (at least two of them); plaintext IPs as `/32` or `/128`
 * ipBlocks. `clients` maps each principal to the client workloads seen with it.
 */
export function fromEntries(index: MeshIndex, sources: readonly SeenSource[], clients: ReadonlyMap<string, ReadonlySet<string>>): SuggestedSource[] {
  const principals = [...new Set(sources.filter((s) => s.kind === 'principal').map((s) => s.value))].sort();
  const ips = [...new Set(sources.filter((s) => s.kind === 'ip').map((s) => s.value))].sort();
  const namespaces = wholeNamespaces(index, principals, clients);
  const kept = principals.filter((p) => !namespaces.includes(principalNamespace(p) ?? ''));
  const out: SuggestedSource[] = [];
  if (kept.length > 0) out.push({ principals: kept });
  if (namespaces.length > 0) out.push({ namespaces });
  if (ips.length > 0) out.push({ ipBlocks: ips.map((ip) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`)) });
  return out;
}

/** Namespaces every identity-bearing workload of which (two or more) was seen among `clients`. */
function wholeNamespaces(index: MeshIndex, principals: readonly string[], clients: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const seen = new Set<string>();
  for (const p of principals) for (const c of clients.get(p) ?? []) seen.add(c);
  const out: string[] = [];
  for (const ns of new Set(principals.map(principalNamespace).filter((n): n is string => n !== undefined))) {
    const members = index.mesh.workloads.filter((w) => w.namespace === ns && w.enrollment !== 'none' && w.waypointFor === undefined && w.ingressGatewayFor === undefined && !w.hostNetwork);
    if (members.length >= 2 && members.every((w) => seen.has(w.uid))) out.push(ns);
  }
  return out.sort();
}

/** `td/ns/<ns>/sa/<sa>` to `<ns>`. */
export function principalNamespace(principal: string): string | undefined {
  return /\/ns\/([^/]+)\/sa\//.exec(principal)?.[1];
}

/** How many flows, from which clients, first and last seen. */
export function evidenceOf(sightings: readonly Sighting[]): SuggestionEvidence {
  const ids = new Set<string>();
  const sources = new Set<string>();
  let first = Infinity;
  let last = -Infinity;
  for (const s of sightings) {
    ids.add(s.flow.id);
    sources.add(s.client);
    first = Math.min(first, s.flow.time);
    last = Math.max(last, s.flow.time);
  }
  return { flows: ids.size, sources: [...sources].sort(), firstSeen: Number.isFinite(first) ? first : 0, lastSeen: Number.isFinite(last) ? last : 0 };
}

/** Client workloads seen per principal (the waypoint's own principal maps to no client workload). */
export function clientsByPrincipal(sightings: readonly Sighting[], clientOf: (s: Sighting) => string | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of sightings) {
    const src = seenSource(s);
    const client = clientOf(s);
    if (src.kind !== 'principal' || client === undefined) continue;
    const set = out.get(src.value) ?? new Set<string>();
    set.add(client);
    out.set(src.value, set);
  }
  return out;
}

/** Groups values by a key, keeping first-seen order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

/** A DNS-1123 subdomain name (an AuthorizationPolicy's `metadata.name`) built from `parts`. */
export function policyName(...parts: string[]): string {
  const name = parts.join('-').toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return (name === '' ? 'suggested' : name).slice(0, 253).replace(/[^a-z0-9]+$/, '');
}
