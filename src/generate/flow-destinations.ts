import fc from 'fast-check';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { FlowDestination } from '../model/flow.js';
import type { MeshService, Workload } from '../model/mesh.js';
import { servicePorts, workloadPorts, type DeclaredPort, type L4Transport } from './declared-ports.js';
import { focusesService, focusesWorkload } from './focus.js';
import { clientWorkloads } from './flow-sources.js';
import { portSamples } from './near-misses.js';
import type { PolicyVocabulary } from './policy-vocabulary.js';

/** An address outside every cluster (TEST-NET-3, RFC 5737), for traffic leaving the mesh. */
export const EXTERNAL_SERVER = '203.0.113.80';

/** A destination and the transports a flow to it may use. */
export interface DestinationDraw {
  readonly destination: FlowDestination;
  readonly transports: readonly L4Transport[];
}

/** Which ports and transports destinations are drawn over. */
export interface PortScope {
  /** Also ports and transports the manifests do not declare (see `FlowsOverOptions.undeclaredPorts`). */
  readonly undeclared: boolean;
  /** UDP at all. */
  readonly udp: boolean;
}

type PortChoice = { readonly own: number } | { readonly port: number };

/**
 * Flow destinations: every Service port by name (first: shrinks toward it) and by cluster IP, every
 * pod by IP on the ports the manifests declare for it (`workloadPorts`), and an external address
 * over TCP, each with the transports its port declares. With `undeclared`, pods are also drawn on
 * each port a policy names and its neighbours, and every destination over TCP and UDP. Half the
 * flows go to Services and pods some policy applies to; with `focus` (`ns/name`, `ns/*`), most go
 * to what it names.
 */
export function destinationArbitrary(index: MeshIndex, vocabulary: PolicyVocabulary, scope: PortScope, focus: readonly string[] = []): fc.Arbitrary<DestinationDraw> {
  const pods = clientWorkloads(index);
  const over = (services: readonly MeshService[], workloads: readonly Workload[]) => destinationsOver(vocabulary, { services, workloads }, index, scope);
  const choices: fc.WeightedArbitrary<DestinationDraw>[] = [{ arbitrary: over(index.mesh.services, pods) ?? external(scope), weight: 2 }];
  const policed = over(index.mesh.services.filter((s) => hasWaypointPolicy(s, index)), pods.filter((w) => index.ztunnelPoliciesFor(w).length > 0));
  if (policed) choices.push({ arbitrary: policed, weight: 2 });
  const focused = over(index.mesh.services.filter((s) => focusesService(focus, s)), pods.filter((w) => focusesWorkload(focus, w, index)));
  if (focused) choices.push({ arbitrary: focused, weight: 8 });
  return choices.length === 1 ? (choices[0] as fc.WeightedArbitrary<DestinationDraw>).arbitrary : fc.oneof({ withCrossShrink: true }, ...choices);
}

/** Whether traffic to the Service meets a waypoint policy (bound to the Service, its waypoint, or every waypoint). */
function hasWaypointPolicy(s: MeshService, index: MeshIndex): boolean {
  const waypoint = s.waypoint && s.waypoint.problem === undefined ? s.waypoint.waypoint : undefined;
  return waypoint !== undefined && index.waypointPoliciesFor(waypoint, s.key).length > 0;
}

/** The Services' ports and the pods' ports, and the external address; undefined when none of the Services and pods can be addressed. */
function destinationsOver(vocabulary: PolicyVocabulary, targets: { readonly services: readonly MeshService[]; readonly workloads: readonly Workload[] }, index: MeshIndex, scope: PortScope): fc.Arbitrary<DestinationDraw> | undefined {
  const { services, workloads } = targets;
  const fit = (p: DeclaredPort) => fitted(p, scope);
  const servicePortList = services.flatMap((s) => servicePorts(s).flatMap((p) => fit(p) ?? []).map((p) => ({ key: s.key, vip: s.vips[0], ...p })));
  const options: fc.WeightedArbitrary<DestinationDraw>[] = [];
  if (servicePortList.length > 0) {
    options.push({ arbitrary: fc.constantFrom(...servicePortList).map((s) => ({ destination: { service: s.key, port: s.port }, transports: s.transports })), weight: 5 });
    const withVip = servicePortList.filter((s) => s.vip !== undefined);
    if (withVip.length > 0) options.push({ arbitrary: fc.constantFrom(...withVip).map((s) => ({ destination: { ip: s.vip as string, port: s.port }, transports: s.transports })), weight: 1 });
  }
  const pods = podDestinations(vocabulary, workloads, index, scope);
  if (pods) options.push({ arbitrary: pods, weight: 4 });
  if (options.length === 0) return undefined;
  options.push({ arbitrary: external(scope), weight: 1 });
  return fc.oneof({ withCrossShrink: true }, ...options);
}

/** The address outside the cluster, on 443 over TCP (and UDP with `undeclared`). */
function external(scope: PortScope): fc.Arbitrary<DestinationDraw> {
  return fc.constant({ destination: { ip: EXTERNAL_SERVER, port: 443 }, transports: fitted({ port: 443, transports: ['tcp'] }, scope)?.transports ?? ['tcp'] });
}

/** Pods by IP: one of the first four ports declared for it (by position), or, with `undeclared`, also a port a policy names or its neighbour. */
function podDestinations(vocabulary: PolicyVocabulary, workloads: readonly Workload[], index: MeshIndex, scope: PortScope): fc.Arbitrary<DestinationDraw> | undefined {
  const declared = workloads.filter((w) => w.ips.length > 0)
    .map((w) => ({ w, ports: workloadPorts(w, index).flatMap((p) => fitted(p, scope) ?? []) }))
    .filter((d) => scope.undeclared || d.ports.length > 0);
  if (declared.length === 0) return undefined;
  const own = fc.nat({ max: 3 }).map((i): PortChoice => ({ own: i }));
  const boundaryPorts = [...new Set(vocabulary.ports.flatMap((p) => { const s = portSamples(p); return [...s.inside, ...s.outside]; }))];
  const port = !scope.undeclared || boundaryPorts.length === 0 ? own
    : fc.oneof({ withCrossShrink: true }, own, fc.constantFrom(...boundaryPorts).map((p): PortChoice => ({ port: p })));
  const any = fitted({ port: 0, transports: ['tcp', 'udp'] }, scope)?.transports ?? ['tcp'];
  return fc.tuple(fc.constantFrom(...declared), port).map(([{ w, ports }, c]): DestinationDraw => {
    const ip = w.ips[0] as string;
    if ('port' in c) return { destination: { ip, port: c.port }, transports: any };
    const chosen = ports[c.own % Math.max(ports.length, 1)];
    return chosen ? { destination: { ip, port: chosen.port }, transports: chosen.transports } : { destination: { ip, port: 80 }, transports: any };
  });
}

/** A declared port within the scope: with `undeclared`, over both transports; without UDP, TCP only (undefined when nothing is left). */
function fitted(p: DeclaredPort, scope: PortScope): DeclaredPort | undefined {
  const all: readonly L4Transport[] = scope.undeclared ? ['tcp', 'udp'] : p.transports;
  const transports = scope.udp ? all : all.filter((t) => t !== 'udp');
  return transports.length === 0 ? undefined : { port: p.port, transports };
}
