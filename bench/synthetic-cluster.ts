import type { AuthorizationPolicy, Cluster, Controller, Gateway, Namespace, Node, PeerAuthentication, Pod, Service } from '../src/model/cluster.js';
import { EMPTY_CLUSTER } from '../src/model/cluster.js';
import type { Flow } from '../src/model/flow.js';
import type { Rule } from '../src/model/policy.js';
import { seededDraw } from '../src/sim/rate-limit/fractional-percent.js';

/** A small seeded PRNG (mulberry32) so benchmark inputs are the same on every run. */
export const prng = seededDraw;

const src = (line: number) => ({ file: 'synthetic.yaml', document: 0, line });

export interface SyntheticSize {
  readonly namespaces: number;
  readonly servicesPerNamespace: number;
  readonly podsPerService: number;
  readonly policies: number;
  readonly nodes: number;
}

export const BENCH_SIZE: SyntheticSize = { namespaces: 50, servicesPerNamespace: 20, podsPerService: 10, policies: 2000, nodes: 20 };

/**
 * A generated cluster: every namespace ambient, a fifth of them behind a waypoint, STRICT in a third,
 * and a policy mix of selector ALLOWs on principals and namespaces, DENYs on ports, ipBlocks, L7
 * targetRefs policies with paths and methods, and ALLOWs with HTTP attributes that istiod drops for ztunnel.
 */
export function syntheticCluster(size: SyntheticSize = BENCH_SIZE, seed = 1): Cluster {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const nodes: Node[] = Array.from({ length: size.nodes }, (_, i) => ({ kind: 'Node', meta: { ref: { kind: 'Node', name: `node-${i}` }, source: src(1), labels: {}, annotations: {} }, addresses: [`172.20.${i >> 8}.${(i & 255) + 1}`] }));
  const namespaces: Namespace[] = [];
  const pods: Pod[] = [];
  const services: Service[] = [];
  const gateways: Gateway[] = [];
  const pas: PeerAuthentication[] = [];
  const controllers: Controller[] = [];
  let ip = 0;
  for (let n = 0; n < size.namespaces; n++) {
    const ns = `ns-${n}`;
    const waypointNs = n % 5 === 0;
    namespaces.push({ kind: 'Namespace', meta: { ref: { kind: 'Namespace', name: ns }, source: src(n), labels: { 'istio.io/dataplane-mode': 'ambient', ...(waypointNs ? { 'istio.io/use-waypoint': 'waypoint' } : {}) }, annotations: {} } });
    if (waypointNs) gateways.push({ kind: 'Gateway', meta: { ref: { kind: 'Gateway', namespace: ns, name: 'waypoint' }, source: src(n), labels: {}, annotations: {} }, gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutesFrom: 'Same' }], statusAddresses: [`10.97.${n}.1`] });
    if (n % 3 === 0) pas.push({ kind: 'PeerAuthentication', meta: { ref: { kind: 'PeerAuthentication', namespace: ns, name: 'default' }, source: src(n), labels: {}, annotations: {} }, spec: { mtls: { mode: 'STRICT' } } });
    for (let s = 0; s < size.servicesPerNamespace; s++) {
      const app = `svc-${s}`;
      services.push({ kind: 'Service', meta: { ref: { kind: 'Service', namespace: ns, name: app }, source: src(s), labels: {}, annotations: {} }, clusterIPs: [`10.96.${n}.${s + 1}`], selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], type: 'ClusterIP' });
      for (let p = 0; p < size.podsPerService; p++) {
        ip++;
        const labels = { app, tier: pick(['web', 'api', 'db']) };
        pods.push({
          kind: 'Pod', meta: { ref: { kind: 'Pod', namespace: ns, name: `${app}-${p}` }, source: src(p), labels, annotations: {} },
          template: { labels, annotations: {}, serviceAccount: app, hostNetwork: false, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }] },
          nodeName: `node-${ip % size.nodes}`, ips: [`10.${100 + (ip >> 16)}.${(ip >> 8) & 255}.${ip & 255}`], owner: `${ns}/${app}`,
        });
      }
    }
  }
  const authorizationPolicies = Array.from({ length: size.policies }, (_, i) => syntheticPolicy(i, size, rand));
  return { ...EMPTY_CLUSTER, nodes, namespaces, pods, services, gateways, peerAuthentications: pas, controllers, authorizationPolicies };
}

function syntheticPolicy(i: number, size: SyntheticSize, rand: () => number): AuthorizationPolicy {
  const nsIndex = Math.floor(rand() * size.namespaces);
  const ns = `ns-${nsIndex}`;
  const other = () => `ns-${Math.floor(rand() * size.namespaces)}`;
  const app = `svc-${Math.floor(rand() * size.servicesPerNamespace)}`;
  const meta = { ref: { kind: 'AuthorizationPolicy', namespace: ns, name: `policy-${i}` }, source: src(i), labels: {}, annotations: {} };
  const kind = i % 10;
  let spec: AuthorizationPolicy['spec'];
  if (kind < 5) {
    const rules: Rule[] = [
      { from: [{ source: { principals: [`cluster.local/ns/${other()}/sa/svc-${Math.floor(rand() * 20)}`, `cluster.local/ns/${other()}/sa/*`] } }], to: [{ operation: { ports: ['8080'] } }] },
      { from: [{ source: { namespaces: [other(), other()] } }] },
    ];
    spec = { action: 'ALLOW', selector: { matchLabels: { app } }, rules };
  } else if (kind < 7) {
    spec = { action: 'DENY', selector: { matchLabels: { app } }, rules: [{ from: [{ source: { notNamespaces: [ns, other()] } }], to: [{ operation: { ports: ['9090'] } }] }] };
  } else if (kind === 7) {
    spec = { action: 'ALLOW', rules: [{ from: [{ source: { ipBlocks: ['10.100.0.0/16', '10.101.0.0/20'] } }] }, { from: [{ source: { namespaces: [ns] } }] }] };
  } else if (kind === 8 && nsIndex % 5 === 0) {
    spec = { action: 'ALLOW', targetRefs: [{ kind: 'Service', group: '', name: app }], rules: [{ from: [{ source: { namespaces: [other()] } }], to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/{*}/items', '/health'] } }] }] };
  } else {
    spec = { action: 'ALLOW', selector: { matchLabels: { app } }, rules: [{ to: [{ operation: { methods: ['GET'] } }] }, { from: [{ source: { namespaces: [other()] } }] }] };
  }
  return { kind: 'AuthorizationPolicy', meta, spec };
}

/** `count` flows between random pods and services of the synthetic cluster; half of them HTTP. */
export function syntheticFlows(count: number, size: SyntheticSize = BENCH_SIZE, seed = 2): Flow[] {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const methods = ['GET', 'POST', 'DELETE'];
  const paths = ['/api/v1/items', '/api/x/items', '/health', '/admin'];
  const flows = new Array<Flow>(count);
  for (let i = 0; i < count; i++) {
    const source = { workload: `ns-${int(size.namespaces)}/svc-${int(size.servicesPerNamespace)}-${int(size.podsPerService)}` };
    const destination = rand() < 0.8
      ? { service: `ns-${int(size.namespaces)}/svc-${int(size.servicesPerNamespace)}`, port: 80 }
      : { workload: `ns-${int(size.namespaces)}/svc-${int(size.servicesPerNamespace)}-${int(size.podsPerService)}`, port: rand() < 0.5 ? 8080 : 9090 };
    const http = rand() < 0.5;
    flows[i] = {
      id: `f${i}`, source, destination, protocol: http ? 'http' : 'tcp',
      ...(http ? { http: { method: methods[int(methods.length)] as string, path: paths[int(paths.length)] as string, headers: {} } } : {}),
      time: i / 1000,
    };
  }
  return flows;
}
