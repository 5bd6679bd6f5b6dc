import type { Sighting } from '../analysis/suggest/observations.js';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import { compilePath, normalizePath, pathMatches } from '../match/path-match.js';
import type { Flow } from '../model/flow.js';
import type { NearMissFlow, NearMissKind, SuggestedPolicy } from '../model/suggestion.js';
import { methodSamples, pathSamples, portSamples } from './near-misses.js';

/**
 * Flows next to the observed ones that the suggestion should deny: another principal (a workload never
 * seen calling that destination), the port beside the one used, another method, and a path just outside
 * the suggested paths (the samples of src/generate/near-misses.ts). A variant equal to an observed
 * flow is left out. Deterministic.
 */
export function nearMissFlows(index: MeshIndex, sightings: readonly Sighting[], policies: readonly SuggestedPolicy[]): NearMissFlow[] {
  const observed = new Set(sightings.map((s) => flowKey(s.flow)));
  const out = new Map<string, NearMissFlow>();
  const add = (kind: NearMissKind, flow: Omit<Flow, 'id'>): void => {
    const key = flowKey(flow);
    if (observed.has(key) || out.has(key)) return;
    out.set(key, { kind, flow: { ...flow, id: `near-miss-${kind}-${out.size + 1}` } });
  };
  const reached = reachedBy(sightings);
  const callers = callersByDestination(sightings, reached);
  const wholeNamespaces = new Set(policies.flatMap((p) => p.rules.flatMap((r) => r.from.flatMap((f) => f.namespaces ?? []))));
  for (const s of sightings) {
    const base = { source: s.flow.source, destination: s.flow.destination, protocol: s.flow.protocol, time: s.flow.time, ...(s.flow.http ? { http: s.flow.http } : {}) };
    const stranger = strangerTo(index, callers.get(reached.get(s.flow.id) ?? '') ?? new Set(), wholeNamespaces, s.workload?.uid);
    if (stranger) add('principal', { ...base, source: { workload: stranger } });
    if (s.workload && s.checkpoint.component !== 'waypoint') {
      for (const port of portSamples(s.checkpoint.attributes.dstPort).outside.slice(0, 1)) {
        add('port', { source: s.flow.source, destination: { workload: s.workload.uid, port }, protocol: 'tcp', time: s.flow.time });
      }
    }
    const http = s.checkpoint.component === 'waypoint' ? s.checkpoint.attributes.http : undefined;
    if (!http || !s.flow.http || s.checkpoint.attributes.l7Unknown) continue;
    for (const method of methodSamples(http.method).outside) add('method', { ...base, http: { ...s.flow.http, method } });
    for (const path of outsidePaths(policies, http.path)) add('path', { ...base, http: { ...s.flow.http, path } });
  }
  return [...out.values()];
}

function flowKey(f: Omit<Flow, 'id'>): string {
  return JSON.stringify([f.source, f.destination, f.protocol, f.http?.method ?? null, f.http ? normalizePath(f.http.path) : null]);
}

/** The workload a flow reaches (its controller, when it has one), as ztunnel policies group them. */
function reachedBy(sightings: readonly Sighting[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sightings) if (s.workload) out.set(s.flow.id, s.workload.controller ?? s.workload.uid);
  return out;
}

/** Identities seen calling each destination workload, before any waypoint. */
function callersByDestination(sightings: readonly Sighting[], reached: ReadonlyMap<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of sightings) {
    const identity = s.checkpoint.attributes.srcIdentity;
    const destination = reached.get(s.flow.id);
    if (s.after || identity === null || destination === undefined) continue;
    const set = out.get(destination) ?? new Set<string>();
    set.add(identity);
    out.set(destination, set);
  }
  return out;
}

/**
 * The first enrolled workload (by uid) whose identity is not that of any caller, outside the
 * namespaces the suggestion admits whole, and not the destination itself (a pod calling its own IP is
 * not captured: istio/istio cni/pkg/iptables exempts loopback).
 */
function strangerTo(index: MeshIndex, callers: ReadonlySet<string>, admittedNamespaces: ReadonlySet<string>, destination: string | undefined): string | undefined {
  const candidates = index.mesh.workloads.filter((w) => w.enrollment !== 'none' && !w.waypointFor && !w.ingressGatewayFor && !w.hostNetwork
    && !callers.has(w.identity) && !admittedNamespaces.has(w.namespace) && w.uid !== destination);
  return candidates.map((w) => w.uid).sort()[0];
}

/** Paths just outsidethe suggested pattern that admits `path` (its samples' outside values). */
function outsidePaths(policies: readonly SuggestedPolicy[], path: string): string[] {
  const bare = normalizePath(path);
  const patterns = new Set<string>();
  for (const p of policies) for (const r of p.rules) for (const op of r.to) for (const pattern of op.paths ?? []) patterns.add(pattern);
  const covering = [...patterns].find((pattern) => pathMatches(compilePath(pattern), bare));
  return covering ? pathSamples(covering).outside.slice(0, 2) : [`${bare}/x`];
}
