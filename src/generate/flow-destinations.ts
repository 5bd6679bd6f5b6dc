import fc from 'fast-check';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import type { FlowDestination } from '../model/flow.js';
import type { MeshService, Workload } from '../model/mesh.js';
import { focusesService, focusesWorkload } from './focus.js';
import { clientWorkloads } from './flow-sources.js';
import { portSamples } from './near-misses.js';
import type { PolicyVocabulary } from './policy-vocabulary.js';

type PortChoice = { readonly own: number } | { readonly port: number };

/** An address outside every cluster (TEST-NET-3, RFC 5737), for traffic leaving the mesh. */
export const EXTERNAL_SERVER = '203.0.113.80';

/**
 * Flow destinations: every Service port by name (first: shrinks toward it) and by cluster IP, every
 * pod by IP on its container ports and on each port a policy names and its neighbours, and an
 * external address. Half the flows go to Services and pods some policy applies to; with `focus`
 * (`ns/name`, `ns/*`), most go to what it names.
 */
export function destinationArbitrary(index: MeshIndex, vocabulary: PolicyVocabulary, focus: readonly string[] = []): fc.Arbitrary<FlowDestination> {
  const pods = clientWorkloads(index);
  const choices: fc.WeightedArbitrary<FlowDestination>[] = [{ arbitrary: destinationsOver(vocabulary, index.mesh.services, pods), weight: 2 }];
  const policedServices = index.mesh.services.filter((s) => hasWaypointPolicy(s, index));
  const policedPods = pods.filter((w) => index.ztunnelPoliciesFor(w).length > 0);
  if (policedServices.length + policedPods.length > 0) choices.push({ arbitrary: destinationsOver(vocabulary, policedServices, policedPods), weight: 2 });
  const focusedServices = index.mesh.services.filter((s) => focusesService(focus, s));
  const focusedPods = pods.filter((w) => focusesWorkload(focus, w, index));
  if (focusedServices.length + focusedPods.length > 0) choices.push({ arbitrary: destinationsOver(vocabulary, focusedServices, focusedPods), weight: 8 });
  return choices.length === 1 ? (choices[0] as fc.WeightedArbitrary<FlowDestination>).arbitrary : fc.oneof({ withCrossShrink: true }, ...choices);
}

/** Whether traffic to the Service meets a waypoint policy (bound to the Service, its waypoint, or every waypoint). */
function hasWaypointPolicy(s: MeshService, index: MeshIndex): boolean {
  const waypoint = s.waypoint && s.waypoint.problem === undefined ? s.waypoint.waypoint : undefined;
  return waypoint !== undefined && index.waypointPoliciesFor(waypoint, s.key).length > 0;
}

function destinationsOver(vocabulary: PolicyVocabulary, services: readonly MeshService[], workloads: readonly Workload[]): fc.Arbitrary<FlowDestination> {
  const servicePorts = services.flatMap((s) => s.ports.map((p) => ({ key: s.key, vip: s.vips[0], port: p.port })));
  const pods = workloads.filter((w) => w.ips.length > 0);
  const boundaryPorts = [...new Set(vocabulary.ports.flatMap((p) => { const s = portSamples(p); return [...s.inside, ...s.outside]; }))];
  const options: fc.WeightedArbitrary<FlowDestination>[] = [];
  if (servicePorts.length > 0) {
    options.push({ arbitrary: fc.constantFrom(...servicePorts).map((s): FlowDestination => ({ service: s.key, port: s.port })), weight: 5 });
    const withVip = servicePorts.filter((s) => s.vip !== undefined);
    if (withVip.length > 0) options.push({ arbitrary: fc.constantFrom(...withVip).map((s): FlowDestination => ({ ip: s.vip as string, port: s.port })), weight: 1 });
  }
  if (pods.length > 0) {
    // A pod's own container port (by position), or a port a policy names, or its neighbour.
    const own = fc.nat({ max: 3 }).map((i): PortChoice => ({ own: i }));
    const port = boundaryPorts.length === 0 ? own : fc.oneof({ withCrossShrink: true }, own, fc.constantFrom(...boundaryPorts).map((p): PortChoice => ({ port: p })));
    options.push({
      weight: 4,
      arbitrary: fc.tuple(fc.constantFrom(...pods), port).map(([w, c]): FlowDestination => ({
        ip: w.ips[0] as string,
        port: 'port' in c ? c.port : w.ports[c.own % Math.max(w.ports.length, 1)]?.containerPort ?? 80,
      })),
    });
  }
  options.push({ arbitrary: fc.constant<FlowDestination>({ ip: EXTERNAL_SERVER, port: 443 }), weight: 1 });
  return fc.oneof({ withCrossShrink: true }, ...options);
}
