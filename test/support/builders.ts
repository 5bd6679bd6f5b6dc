import type {
  AuthorizationPolicy, Cluster, Gateway, Namespace, Node, ObjectMeta, PeerAuthentication, Pod, RequestAuthentication, Service,
} from '../../src/model/cluster.js';
import { EMPTY_CLUSTER } from '../../src/model/cluster.js';
import type { Flow, FlowDestination, FlowSource, HttpRequest } from '../../src/model/flow.js';
import type { Labels } from '../../src/model/labels.js';
import type { AuthorizationPolicySpec, MtlsMode, PeerAuthenticationSpec, RequestAuthenticationSpec, Rule } from '../../src/model/policy.js';

/** Fixture builders for tests: model objects without YAML, with predictable provenance. */

let line = 1;
function meta(kind: string, namespace: string | undefined, name: string, labels: Labels = {}, annotations: Labels = {}): ObjectMeta {
  return {
    ref: namespace === undefined ? { kind, name } : { kind, namespace, name },
    source: { file: 'fixture.yaml', document: 0, line: line++ },
    labels, annotations,
  };
}

export function namespace(name: string, labels: Labels = {}): Namespace {
  return { kind: 'Namespace', meta: meta('Namespace', undefined, name, labels) };
}

export function ambientNamespace(name: string, labels: Labels = {}): Namespace {
  return namespace(name, { 'istio.io/dataplane-mode': 'ambient', ...labels });
}

export function node(name: string, ip: string): Node {
  return { kind: 'Node', meta: meta('Node', undefined, name), addresses: [ip] };
}

export interface PodOptions {
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly sa?: string;
  readonly node?: string;
  readonly hostNetwork?: boolean;
  readonly ports?: readonly number[];
  readonly owner?: string;
}

/** A pod `ns/name` with an IP; `labels.app` defaults to the name. */
export function pod(ref: string, ip: string, options: PodOptions = {}): Pod {
  const [ns, name] = split(ref);
  const labels = { app: name, ...options.labels };
  return {
    kind: 'Pod', meta: meta('Pod', ns, name, labels, options.annotations ?? {}),
    template: {
      labels, annotations: options.annotations ?? {}, serviceAccount: options.sa ?? name,
      hostNetwork: options.hostNetwork ?? false,
      ports: (options.ports ?? [8080]).map((p) => ({ containerPort: p, protocol: 'TCP' as const, name: p === 8080 ? 'http' : `p${p}` })),
    },
    nodeName: options.node ?? 'node-1', ips: [ip],
    ...(options.owner !== undefined ? { owner: options.owner } : {}),
  };
}

/** A Service `ns/name` selecting `app: <name>` (or `selector`), port 80 → targetPort 8080 by default. */
export function service(ref: string, vip: string, options: { labels?: Labels; selector?: Labels; port?: number; targetPort?: number | string } = {}): Service {
  const [ns, name] = split(ref);
  return {
    kind: 'Service', meta: meta('Service', ns, name, options.labels ?? {}), clusterIPs: [vip],
    selector: options.selector ?? { app: name },
    ports: [{ name: 'http', port: options.port ?? 80, targetPort: options.targetPort ?? 8080, protocol: 'TCP' }],
    type: 'ClusterIP',
  };
}

/** A waypoint Gateway `ns/name`, ready (with status address) unless `ready: false`. */
export function waypoint(ref: string, options: { ready?: boolean; for?: string; from?: 'Same' | 'All' | 'Selector' } = {}): Gateway {
  const [ns, name] = split(ref);
  return {
    kind: 'Gateway', meta: meta('Gateway', ns, name, options.for ? { 'istio.io/waypoint-for': options.for } : {}),
    gatewayClassName: 'istio-waypoint',
    listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutesFrom: options.from ?? 'Same' }],
    statusAddresses: options.ready === false ? [] : ['10.96.99.1'],
  };
}

export function policy(ref: string, spec: Partial<AuthorizationPolicySpec>, annotations: Labels = {}): AuthorizationPolicy {
  const [ns, name] = split(ref);
  return { kind: 'AuthorizationPolicy', meta: meta('AuthorizationPolicy', ns, name, {}, annotations), spec: { action: 'ALLOW', ...spec } };
}

export function allow(ref: string, rules: readonly Rule[] | undefined, extra: Partial<AuthorizationPolicySpec> = {}): AuthorizationPolicy {
  return policy(ref, { action: 'ALLOW', ...(rules ? { rules } : {}), ...extra });
}

export function deny(ref: string, rules: readonly Rule[], extra: Partial<AuthorizationPolicySpec> = {}): AuthorizationPolicy {
  return policy(ref, { action: 'DENY', rules, ...extra });
}

export function peerAuthentication(ref: string, mode: MtlsMode, extra: Partial<PeerAuthenticationSpec> = {}, created?: string): PeerAuthentication {
  const [ns, name] = split(ref);
  return {
    kind: 'PeerAuthentication',
    meta: { ...meta('PeerAuthentication', ns, name), ...(created ? { creationTimestamp: created } : {}) },
    spec: { mtls: { mode }, ...extra },
  };
}

/** A namespace with sidecar injection on (`istio-injection=enabled`). */
export function sidecarNamespace(name: string, labels: Labels = {}): Namespace {
  return namespace(name, { 'istio-injection': 'enabled', ...labels });
}

/** A RequestAuthentication `ns/name` accepting the given issuers (selector-less unless `extra` says otherwise). */
export function requestAuthentication(ref: string, issuers: readonly string[], extra: Partial<RequestAuthenticationSpec> = {}): RequestAuthentication {
  const [ns, name] = split(ref);
  return { kind: 'RequestAuthentication', meta: meta('RequestAuthentication', ns, name), spec: { jwtRules: issuers.map((issuer) => ({ issuer })), ...extra } };
}

/** A cluster of the given objects, sorted into their lists. */
export function cluster(objects: readonly (Namespace | Node | Pod | Service | Gateway | AuthorizationPolicy | PeerAuthentication | RequestAuthentication)[], extra: Partial<Cluster> = {}): Cluster {
  const of = <K extends string>(kind: K) => objects.filter((o) => o.kind === kind) as never[];
  return {
    ...EMPTY_CLUSTER,
    namespaces: of('Namespace'), nodes: of('Node'), pods: of('Pod'), services: of('Service'), gateways: of('Gateway'),
    authorizationPolicies: of('AuthorizationPolicy'), peerAuthentications: of('PeerAuthentication'),
    requestAuthentications: of('RequestAuthentication'),
    ...extra,
  };
}

export interface FlowOptions {
  readonly id?: string;
  readonly jwt?: Flow['jwt'];
  readonly http?: Partial<HttpRequest>;
  readonly protocol?: 'tcp' | 'http' | 'udp';
}

/** A flow from a workload ref or IP to `ns/svc:port` (service), `pod:ns/name:port` or `ip:port`. */
export function flow(from: string, to: string, options: FlowOptions = {}): Flow {
  const source: FlowSource = /^[\d.]+$|:/.test(from) && !from.includes('/') ? { ip: from } : { workload: from };
  const destination = parseTo(to);
  const http = options.http ? { method: 'GET', path: '/', headers: {}, ...options.http } : undefined;
  return {
    id: options.id ?? `${from}->${to}`, source, destination,
    protocol: options.protocol ?? (http ? 'http' : 'tcp'), ...(http ? { http } : {}), ...(options.jwt ? { jwt: options.jwt } : {}), time: 0,
  };
}

function parseTo(to: string): FlowDestination {
  const m = /^(pod:)?(.*):(\d+)$/.exec(to);
  if (!m) throw new Error(`bad destination ${to}`);
  const port = Number(m[3]);
  const target = m[2] as string;
  if (m[1]) return { workload: target, port };
  if (target.includes('/')) return { service: target, port };
  return { ip: target, port };
}

function split(ref: string): [string, string] {
  const i = ref.indexOf('/');
  if (i < 0) throw new Error(`expected ns/name, got ${ref}`);
  return [ref.slice(0, i), ref.slice(i + 1)];
}
