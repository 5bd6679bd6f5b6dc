import type { Enrollment } from '../../model/mesh.js';
import type { FlowResult } from '../../model/result.js';
import type { GraphNodeKind } from './traffic-graph.js';
import type { GraphDirectory } from './graph-directory.js';

/** A node as one result names it, before the builder merges it with what other results say. */
export interface EndpointNode {
  readonly id: string;
  /** The ztunnel step (`source-ztunnel `, `destination-ztunnel `) that tells the node, when the mesh does not. */
  readonly nodeFromStep?: string;
  readonly kind: GraphNodeKind;
  readonly name: string;
  readonly namespace: string | null;
  /** From the mesh when it knows the name; else the ztunnel node a step names, if any. */
  readonly k8sNodes: readonly string[];
  readonly enrollment?: Enrollment;
}

const nodeId = (kind: GraphNodeKind, name: string): string => `${kind}:${name}`;

function namespaceOf(name: string): string | null {
  const slash = name.indexOf('/');
  return slash > 0 ? name.slice(0, slash) : null;
}

/**
 * The source of a result: the workload the mesh knows by that pod or controller name, a Kubernetes
 * node (`node/<name>`, as the router labels node addresses), or an address.
 */
export function sourceNode(result: FlowResult, directory: GraphDirectory): EndpointNode {
  const label = result.source;
  const known = directory.byName.get(label);
  if (known) return { id: nodeId(known.kind, known.name), ...known, ...fromStep(known.k8sNodes, result, SOURCE_ZTUNNEL) };
  if (label.startsWith('node/')) return k8sNode(label.slice('node/'.length));
  const node = directory.nodeByIp.get(label);
  if (node !== undefined) return k8sNode(node);
  if (namespaceOf(label) === null) return { id: nodeId('address', label), kind: 'address', name: label, namespace: null, k8sNodes: [] };
  return { id: nodeId('workload', label), kind: 'workload', name: label, namespace: namespaceOf(label), ...fromStep([], result, SOURCE_ZTUNNEL) };
}

/**
 * The destination of a result (its label is `<name>:<port>`): a Service the mesh knows by that name,
 * a workload or waypoint, a node address, or an address. The label does not say whether a name shared
 * by a Service and a controller was addressed as one or the other: the Service when it has the port,
 * else the workload. Without the mesh, a name a hop ends at is a pod, any other a Service.
 */
export function destinationNode(result: FlowResult, directory: GraphDirectory): { readonly node: EndpointNode; readonly port: number | null } {
  const label = result.destination;
  const colon = label.lastIndexOf(':');
  const portText = colon > 0 ? label.slice(colon + 1) : '';
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : null;
  const name = port === null ? label : label.slice(0, colon);
  return { node: destinationByName(result, name, port, directory), port };
}

function destinationByName(result: FlowResult, name: string, port: number | null, directory: GraphDirectory): EndpointNode {
  const service = directory.services.get(name);
  const other = directory.byName.get(name);
  const known = service && (!other || (port !== null && service.ports?.includes(port))) ? service : other;
  if (known) return { id: nodeId(known.kind, known.name), ...known, ...(known.kind === 'workload' ? fromStep(known.k8sNodes, result, DESTINATION_ZTUNNEL) : {}) };
  const node = directory.nodeByIp.get(name);
  if (node !== undefined) return k8sNode(node);
  const namespace = namespaceOf(name);
  if (namespace === null) return { id: nodeId('address', name), kind: 'address', name, namespace: null, k8sNodes: [] };
  if (result.hops.some((h) => h.to === name)) {
    return { id: nodeId('workload', name), kind: 'workload', name, namespace, ...fromStep([], result, DESTINATION_ZTUNNEL) };
  }
  return { id: nodeId('service', name), kind: 'service', name, namespace, k8sNodes: [] };
}

/** The waypoints a result passed: those whose step it has, or that a routing step names. */
export function waypointNodes(result: FlowResult, directory: GraphDirectory): EndpointNode[] {
  const keys = new Set<string>();
  for (const s of result.steps) {
    if (s.at.startsWith('waypoint ')) keys.add(s.at.slice('waypoint '.length));
    const via = s.code === 'routed-via-waypoint' ? s.detail?.['waypoint'] : undefined;
    if (typeof via === 'string') keys.add(via);
  }
  return [...keys].map((key) => {
    const known = directory.byName.get(key);
    return { id: nodeId('waypoint', key), kind: 'waypoint', name: key, namespace: known?.namespace ?? namespaceOf(key), k8sNodes: known?.k8sNodes ?? [] };
  });
}

function k8sNode(name: string): EndpointNode {
  return { id: nodeId('k8s-node', name), kind: 'k8s-node', name, namespace: null, k8sNodes: [name] };
}

const SOURCE_ZTUNNEL = 'source-ztunnel ';
const DESTINATION_ZTUNNEL = 'destination-ztunnel ';

/** The mesh's nodes when it knows them; else the step that names the node, and what this result's step says. */
function fromStep(known: readonly string[], result: FlowResult, prefix: string): { k8sNodes: readonly string[]; nodeFromStep?: string } {
  return known.length > 0 ? { k8sNodes: known } : { k8sNodes: stepNodes(result, prefix), nodeFromStep: prefix };
}

/** The node of the ztunnel a step names (`source-ztunnel node-a`), as a one-element list. */
export function stepNodes(result: FlowResult, prefix: string): readonly string[] {
  const step = result.steps.find((s) => s.at.startsWith(prefix));
  return step ? [step.at.slice(prefix.length)] : [];
}

/** `<component> <name>` of the deciding point, or the component alone when it has no name (`none`). */
export function deciderOf(result: FlowResult): string {
  const d = result.decidedBy;
  return d.name === null ? d.component : `${d.component} ${d.name}`;
}
