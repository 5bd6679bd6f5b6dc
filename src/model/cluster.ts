import type { Labels, LabelSelector } from './labels.js';
import type { FieldPositions, ObjectRef, SourceRef } from './source.js';
import type { EnvoyFilterSpec } from './envoy-filter.js';
import type { AuthorizationPolicySpec, PeerAuthenticationSpec, RequestAuthenticationSpec } from './policy.js';

/** What every loaded object carries: its identity, where it was written, and its metadata. */
export interface ObjectMeta {
  readonly ref: ObjectRef;
  readonly source: SourceRef;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** RFC 3339 `metadata.creationTimestamp`, used for istiod's "oldest wins" precedence. */
  readonly creationTimestamp?: string;
  /** Positions of the object's fields in its file, for diagnostics that point at a field. */
  readonly positions?: FieldPositions;
}

export interface Namespace {
  readonly kind: 'Namespace';
  readonly meta: ObjectMeta;
}

export interface Node {
  readonly kind: 'Node';
  readonly meta: ObjectMeta;
  /** `status.addresses` of type InternalIP or ExternalIP. */
  readonly addresses: readonly string[];
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** The parts of a pod spec the simulation needs. Shared by Pods and controller templates. */
export interface PodTemplate {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly serviceAccount: string;
  readonly hostNetwork: boolean;
  readonly ports: readonly ContainerPort[];
}

export interface Pod {
  readonly kind: 'Pod';
  readonly meta: ObjectMeta;
  readonly template: PodTemplate;
  /** `spec.nodeName`; absent when not scheduled. */
  readonly nodeName?: string;
  /** `status.podIPs` (or `status.podIP`); empty when not known. */
  readonly ips: readonly string[];
  /** `status.hostIPs` (or `status.hostIP`): the node's addresses as the kubelet reported them; absent when not known. */
  readonly hostIps?: readonly string[];
  /** `status.phase` (`Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`), when the manifest records it. */
  readonly phase?: string;
  /** True when `metadata.deletionTimestamp` is set: the pod is being deleted. */
  readonly terminating?: boolean;
  /** `namespace/name` of the controller that owns the pod, from ownerReferences, when known. */
  readonly owner?: string;
  /** True for a pod the simulator made from a controller that had no pods in the manifests. */
  readonly generated?: boolean;
}

export type ControllerKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job';

export interface Controller {
  readonly kind: ControllerKind;
  readonly meta: ObjectMeta;
  readonly replicas: number;
  readonly selector?: LabelSelector;
  readonly template: PodTemplate;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  /** A container port number, or the name of a container port. Defaults to `port`. */
  readonly targetPort: number | string;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly appProtocol?: string;
}

export interface Service {
  readonly kind: 'Service';
  readonly meta: ObjectMeta;
  /** `spec.clusterIPs` (or `spec.clusterIP`), without `None`. */
  readonly clusterIPs: readonly string[];
  /** `spec.selector`; absent for a Service without selector. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly type: string;
  /** `spec.clusterIP: None`: a headless Service, whose name resolves to its pods' IPs (no VIP). */
  readonly headless?: boolean;
  /** `spec.externalName` of a Service of type ExternalName: a DNS alias (CNAME) for that name. */
  readonly externalName?: string;
}

export interface ServiceAccount {
  readonly kind: 'ServiceAccount';
  readonly meta: ObjectMeta;
}

export interface GatewayListener {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  /** `allowedRoutes.namespaces.from`; Gateway API default is `Same`. */
  readonly allowedRoutesFrom: 'Same' | 'All' | 'Selector';
  readonly allowedRoutesSelector?: LabelSelector;
}

/** A Gateway API Gateway; with `gatewayClassName: istio-waypoint` it is a waypoint. */
export interface Gateway {
  readonly kind: 'Gateway';
  readonly meta: ObjectMeta;
  readonly gatewayClassName: string;
  readonly listeners: readonly GatewayListener[];
  /** `status.addresses[*].value`; a waypoint without them is not ready. */
  readonly statusAddresses: readonly string[];
}

export interface GatewayClass {
  readonly kind: 'GatewayClass';
  readonly meta: ObjectMeta;
  readonly controllerName: string;
}

export interface AuthorizationPolicy {
  readonly kind: 'AuthorizationPolicy';
  readonly meta: ObjectMeta;
  readonly spec: AuthorizationPolicySpec;
}

export interface PeerAuthentication {
  readonly kind: 'PeerAuthentication';
  readonly meta: ObjectMeta;
  readonly spec: PeerAuthenticationSpec;
}

export interface RequestAuthentication {
  readonly kind: 'RequestAuthentication';
  readonly meta: ObjectMeta;
  readonly spec: RequestAuthenticationSpec;
}

/** `networking.istio.io/v1alpha3` EnvoyFilter (the only version its CRD serves). */
export interface EnvoyFilter extends EnvoyFilterSpec {
  readonly kind: 'EnvoyFilter';
  readonly meta: ObjectMeta;
}

/** Mesh-wide settings from the `istio` ConfigMap in `istio-system` (`data.mesh`). */
export interface MeshConfig {
  readonly trustDomain: string;
  readonly trustDomainAliases: readonly string[];
  readonly rootNamespace: string;
  /** Names of `extensionProviders`, which CUSTOM policies refer to. */
  readonly extensionProviders: readonly string[];
  /**
   * The providers istiod can build an ext_authz filter from, by name: `http` for `envoyExtAuthzHttp`
   * (HTTP chains only), `grpc` for `envoyExtAuthzGrpc` (HTTP and TCP chains). Other kinds, and a name
   * given twice, are absent (pilot/pkg/security/authz/builder/extauthz.go `processExtensionProvider`).
   */
  readonly extAuthzProviders: Readonly<Record<string, 'http' | 'grpc'>>;
  readonly source?: SourceRef;
}

/** istiod feature flags: from the `istiod` Deployment's env, overridden by `--istiod-env`. */
export type IstiodEnv = Readonly<Record<string, string>>;

/** Istio's defaults when no mesh config is given. */
export const DEFAULT_MESH_CONFIG: MeshConfig = {
  trustDomain: 'cluster.local',
  trustDomainAliases: [],
  rootNamespace: 'istio-system',
  extensionProviders: [],
  extAuthzProviders: {},
};

/** Every object kind the simulator understands. */
export type ClusterObject =
  | Namespace | Node | Pod | Controller | Service | ServiceAccount | Gateway | GatewayClass
  | AuthorizationPolicy | PeerAuthentication | RequestAuthentication | EnvoyFilter;

/** An object of a kind the simulator does not act on, kept so reports can account for it. */
export interface SkippedObject {
  readonly kind: string;
  readonly apiVersion?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly source: SourceRef;
  readonly reason: 'unsupported-kind' | 'not-an-object' | 'invalid-object';
}

/** What the manifests say, as written, with provenance. */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  readonly controllers: readonly Controller[];
  readonly services: readonly Service[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly gateways: readonly Gateway[];
  readonly gatewayClasses: readonly GatewayClass[];
  readonly authorizationPolicies: readonly AuthorizationPolicy[];
  readonly peerAuthentications: readonly PeerAuthentication[];
  readonly requestAuthentications: readonly RequestAuthentication[];
  /** Absent in clusters built before EnvoyFilters were loaded: none. */
  readonly envoyFilters?: readonly EnvoyFilter[];
  readonly meshConfig: MeshConfig;
  readonly istiodEnv: IstiodEnv;
  readonly skipped: readonly SkippedObject[];
}

/** A cluster with nothing in it and Istio's default mesh config. */
export const EMPTY_CLUSTER: Cluster = {
  namespaces: [], nodes: [], pods: [], controllers: [], services: [], serviceAccounts: [],
  gateways: [], gatewayClasses: [], authorizationPolicies: [], peerAuthentications: [],
  requestAuthentications: [], meshConfig: DEFAULT_MESH_CONFIG, istiodEnv: {}, skipped: [],
};
