import type { Cluster, Gateway, Pod } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Waypoint, WaypointTrafficType } from '../model/mesh.js';
import { GATEWAY_NAME_LABEL } from './enrollment.js';
import { fnv1a, stableAddress } from '../match/stable-address.js';

export const WAYPOINT_CLASS = 'istio-waypoint';
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
const TRAFFIC_TYPES: readonly WaypointTrafficType[] = ['service', 'workload', 'all', 'none'];

/** Whether a Gateway is a waypoint (istio/istio:pilot/pkg/serviceregistry/ambient/waypoints.go `gatewayToWaypointTransform`). */
export function isWaypointGateway(gateway: Gateway, cluster: Cluster): boolean {
  if (gateway.gatewayClassName === WAYPOINT_CLASS) return true;
  const cls = cluster.gatewayClasses.find((c) => c.meta.ref.name === gateway.gatewayClassName);
  return cls?.controllerName === 'istio.io/mesh-controller';
}

export interface WaypointPods {
  readonly waypoints: Waypoint[];
  /** Pods synthesized for waypoints that had none in the manifests. */
  readonly synthesizedPods: Pod[];
  readonly diagnostics: Diagnostic[];
}

/**
 * The waypoints of a cluster: identity from the Gateway name (istiod's deployment controller sets the
 * service account to the Gateway name, `classinfo.go` DisableNameSuffix), traffic type from the
 * `istio.io/waypoint-for` label on the Gateway, else its GatewayClass, default `service`, ready only with
 * `status.addresses` (`TestAmbientIndex_WaypointConfiguredOnlyWhenReady`).
 */
export function buildWaypoints(cluster: Cluster, takenIps: Set<string>): WaypointPods {
  const waypoints: Waypoint[] = [];
  const synthesizedPods: Pod[] = [];
  const diagnostics: Diagnostic[] = [];
  const nodes = nodeNames(cluster);
  const gatewayPod = gatewayPodFinder(cluster.pods);
  for (const gw of cluster.gateways) {
    if (!isWaypointGateway(gw, cluster)) continue;
    const ns = gw.meta.ref.namespace ?? 'default';
    const name = gw.meta.ref.name;
    const trafficType = trafficTypeOf(gw, cluster, diagnostics);
    let pod = gatewayPod(ns, name);
    if (!pod) {
      pod = synthesizePod(gw, nodes, takenIps);
      synthesizedPods.push(pod);
    }
    const listener = gw.listeners.find((l) => l.protocol === 'HBONE') ?? gw.listeners[0];
    if (!gw.listeners.some((l) => l.protocol === 'HBONE' && l.port === 15008)) {
      diagnostics.push({
        severity: 'warning', code: 'waypoint-without-hbone-listener', object: `Gateway ${ns}/${name}`,
        file: gw.meta.source.file, line: gw.meta.source.line,
        message: `Gateway ${ns}/${name} (${gw.meta.source.file}:${gw.meta.source.line}) has class ${WAYPOINT_CLASS} but no listener {port: 15008, protocol: HBONE}; istiod's waypoint needs one`,
      });
    }
    const td = cluster.meshConfig.trustDomain;
    waypoints.push({
      key: `${ns}/${name}`, namespace: ns, name,
      serviceAccount: name,
      identity: `spiffe://${td}/ns/${ns}/sa/${name}`,
      ips: pod.ips.length > 0 ? pod.ips : gw.statusAddresses,
      ...(pod.nodeName !== undefined ? { node: pod.nodeName } : {}),
      workloadUid: `${ns}/${pod.meta.ref.name}`,
      trafficType,
      ready: gw.statusAddresses.length > 0,
      allowedRoutesFrom: listener?.allowedRoutesFrom ?? 'Same',
      ...(listener?.allowedRoutesSelector ? { allowedRoutesSelector: listener.allowedRoutesSelector } : {}),
      source: gw.meta.source,
    });
  }
  return { waypoints, synthesizedPods, diagnostics };
}

/**
 * The first pod of a namespace labelled `gateway.networking.k8s.io/gateway-name: <name>`, as a search
 * of the pods in order finds it; the pods are filed by that label on first use.
 */
function gatewayPodFinder(pods: readonly Pod[]): (namespace: string, name: string) => Pod | undefined {
  let filed: Map<string | undefined, Map<unknown, Pod>> | undefined;
  return (namespace, name) => {
    if (!filed) {
      filed = new Map();
      for (const p of pods) {
        const value = p.meta.labels[GATEWAY_NAME_LABEL];
        if (value === undefined) continue;
        const inNamespace = filed.get(p.meta.ref.namespace) ?? new Map<unknown, Pod>();
        filed.set(p.meta.ref.namespace, inNamespace);
        if (!inNamespace.has(value)) inNamespace.set(value, p);
      }
    }
    return filed.get(namespace)?.get(name);
  };
}

function trafficTypeOf(gw: Gateway, cluster: Cluster, diagnostics: Diagnostic[]): WaypointTrafficType {
  const cls = cluster.gatewayClasses.find((c) => c.meta.ref.name === gw.gatewayClassName);
  const value = gw.meta.labels[WAYPOINT_FOR_LABEL] ?? cls?.meta.labels[WAYPOINT_FOR_LABEL] ?? 'service';
  if ((TRAFFIC_TYPES as readonly string[]).includes(value)) return value as WaypointTrafficType;
  diagnostics.push({
    severity: 'warning', code: 'invalid-waypoint-for', object: `Gateway ${gw.meta.ref.namespace}/${gw.meta.ref.name}`,
    file: gw.meta.source.file, line: gw.meta.source.line,
    message: `Gateway ${gw.meta.ref.namespace}/${gw.meta.ref.name}: label ${WAYPOINT_FOR_LABEL}="${value}" is not one of ${TRAFFIC_TYPES.join(', ')}; istiod treats it as "service"`,
  });
  return 'service';
}

function nodeNames(cluster: Cluster): string[] {
  const names = cluster.nodes.map((n) => n.meta.ref.name);
  if (names.length > 0) return names.sort();
  return [...new Set(cluster.pods.flatMap((p) => (p.nodeName ? [p.nodeName] : [])))].sort();
}

function synthesizePod(gw: Gateway, nodes: readonly string[], takenIps: Set<string>): Pod {
  const ns = gw.meta.ref.namespace ?? 'default';
  const name = gw.meta.ref.name;
  const key = `${ns}/${name}`;
  const node = nodes.length > 0 ? nodes[fnv1a(key) % nodes.length] : undefined;
  return {
    kind: 'Pod',
    meta: {
      ref: { kind: 'Pod', namespace: ns, name: `${name}-waypoint` },
      source: gw.meta.source,
      labels: { [GATEWAY_NAME_LABEL]: name, 'istio.io/dataplane-mode': 'none' },
      annotations: {},
    },
    template: {
      labels: { [GATEWAY_NAME_LABEL]: name, 'istio.io/dataplane-mode': 'none' },
      annotations: {}, serviceAccount: name, hostNetwork: false,
      ports: [{ containerPort: 15008, protocol: 'TCP', name: 'mesh' }],
    },
    ...(node !== undefined ? { nodeName: node } : {}),
    ips: [stableAddress('10.255', key, takenIps)],
    owner: key,
    generated: true,
  };
}
