import type { ContainerPort, IstiodEnv, MeshConfig, PeerAuthentication } from './cluster.js';
import type { Diagnostic } from './diagnostic.js';
import type { Labels, LabelSelector } from './labels.js';
import type { AuthorizationAction, JwtRule, Rule } from './policy.js';
import type { ObjectRef, SourceRef } from './source.js';

/**
 * What istiod computes from a Cluster: enrolled workloads with identities, services, waypoints and
 * the policies each enforcement point receives, under istiod's own names.
 */

/** How a workload takes part in the mesh. */
export type Enrollment = 'ambient' | 'sidecar' | 'none';

/** Why a workload has the enrollment it has (istio/istio:cni/pkg/util/enablement_selector.go and friends). */
export type EnrollmentReason =
  | 'pod-label'
  | 'namespace-label'
  | 'pod-opted-out'
  | 'not-labelled'
  | 'host-network'
  | 'sidecar-injected'
  | 'sidecar-injector'
  | 'excluded-namespace'
  | 'waypoint-pod';

/** Why a workload or service has no waypoint although one was asked for. */
export type WaypointBindingProblem =
  | 'waypoint-missing'
  | 'waypoint-not-ready'
  | 'waypoint-wrong-traffic-type'
  | 'waypoint-cross-namespace-refused';

export interface WaypointBinding {
  /** `namespace/name` of the waypoint Gateway that was asked for. */
  readonly waypoint: string;
  /** Where the request came from: the object's own label or its namespace's. */
  readonly via: 'object-label' | 'namespace-label';
  /** Absent when the binding is in effect. */
  readonly problem?: WaypointBindingProblem;
}

export interface Workload {
  /** `namespace/pod-name`. */
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly ips: readonly string[];
  readonly node?: string;
  readonly serviceAccount: string;
  /** `spiffe://<trust-domain>/ns/<ns>/sa/<sa>`. */
  readonly identity: string;
  readonly labels: Labels;
  readonly enrollment: Enrollment;
  readonly enrollmentReason: EnrollmentReason;
  readonly hostNetwork: boolean;
  readonly ports: readonly ContainerPort[];
  /** `namespace/name` of the owning controller, when known. */
  readonly controller?: string;
  /** The waypoint for traffic addressed to this pod's IP, if one was asked for. */
  readonly waypoint?: WaypointBinding;
  /** `namespace/name` of the waypoint Gateway this pod implements, when it is a waypoint pod. */
  readonly waypointFor?: string;
  /** `ns/name` of the ingress gateway this pod runs (an Envoy at the mesh edge, not captured by ztunnel). */
  readonly ingressGatewayFor?: string;
  /** Keys (`ns/name`) of the ztunnel authorizations attached to this workload, in ztunnel's order. */
  readonly policies: readonly string[];
  readonly source: SourceRef;
  readonly generated: boolean;
  /** True for a pod being deleted: still reachable at its IP, no longer a Service endpoint. */
  readonly terminating?: boolean;
}

export interface MeshServicePort {
  readonly name?: string;
  readonly appProtocol?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: string;
}

export interface MeshService {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly vips: readonly string[];
  readonly ports: readonly MeshServicePort[];
  /** Uids of the workloads the selector picks. */
  readonly endpoints: readonly string[];
  readonly waypoint?: WaypointBinding;
  /** `istio.io/ingress-use-waypoint` on the Service, else on its namespace. */
  readonly ingressUseWaypoint: boolean;
  /** `clusterIP: None`: no VIP; the name resolves to the endpoints' pod IPs. */
  readonly headless?: boolean;
  /** Type ExternalName: a DNS alias for this name, which clients follow (istiod gives ztunnel no Service for it). */
  readonly externalName?: string;
  readonly source: SourceRef;
}

export type WaypointTrafficType = 'service' | 'workload' | 'all' | 'none';

export interface Waypoint {
  /** `namespace/name` of the Gateway. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly serviceAccount: string;
  readonly identity: string;
  /** Address of the waypoint (its pod IP, else the Gateway's status address). */
  readonly ips: readonly string[];
  readonly node?: string;
  /** Uid of the pod that runs it (real or synthesized). */
  readonly workloadUid: string;
  readonly trafficType: WaypointTrafficType;
  /** A waypoint without `status.addresses` is not ready and is bypassed. */
  readonly ready: boolean;
  readonly allowedRoutesFrom: 'Same' | 'All' | 'Selector';
  readonly allowedRoutesSelector?: { readonly matchLabels?: Labels };
  readonly source: SourceRef;
}

// ---------------------------------------------------------------------------------------------
// ztunnel's Authorization xDS (istio/istio:pkg/workloadapi/security/authorization.proto)

export type AuthorizationScope = 'GLOBAL' | 'NAMESPACE' | 'WORKLOAD_SELECTOR';

export interface StringMatch {
  readonly kind: 'exact' | 'prefix' | 'suffix' | 'presence';
  readonly value: string;
}

export interface ServiceAccountMatch {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** One `Match`: within a field OR, across fields AND, positive AND negative (ztunnel `RbacMatch`). */
export interface RbacMatch {
  readonly namespaces: readonly StringMatch[];
  readonly notNamespaces: readonly StringMatch[];
  readonly principals: readonly StringMatch[];
  readonly notPrincipals: readonly StringMatch[];
  readonly serviceAccounts: readonly ServiceAccountMatch[];
  readonly notServiceAccounts: readonly ServiceAccountMatch[];
  /** CIDRs as written (`10.0.0.0/8`, a bare IP is a /32 or /128). */
  readonly sourceIps: readonly string[];
  readonly notSourceIps: readonly string[];
  readonly destinationIps: readonly string[];
  readonly notDestinationIps: readonly string[];
  readonly destinationPorts: readonly number[];
  readonly notDestinationPorts: readonly number[];
}

/** A clause: OR of matches. An empty list matches; an empty `RbacMatch` never matches. */
export interface RbacClause {
  readonly origin: 'from' | 'to' | 'when';
  readonly matches: readonly RbacMatch[];
}

/** A group (one AuthorizationPolicy rule): AND of clauses. No clauses means it always matches. */
export interface RbacGroup {
  /** Index of the rule in the source policy. */
  readonly ruleIndex: number;
  readonly clauses: readonly RbacClause[];
}

/** Where a ztunnel authorization came from. */
export type AuthorizationOrigin =
  | { readonly kind: 'AuthorizationPolicy'; readonly ref: ObjectRef; readonly source: SourceRef }
  | { readonly kind: 'PeerAuthentication'; readonly ref: ObjectRef; readonly source: SourceRef }
  | { readonly kind: 'static-strict' }
  | { readonly kind: 'implicit-waypoint'; readonly waypoint: string };

export interface ZtunnelAuthorization {
  /** `namespace/name`, istiod's name for converted and synthetic policies. */
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly scope: AuthorizationScope;
  readonly action: 'ALLOW' | 'DENY';
  readonly groups: readonly RbacGroup[];
  readonly dryRun: boolean;
  readonly origin: AuthorizationOrigin;
  /** Rules istiod dropped (ALLOW with HTTP attributes) or emptied (DENY), by index. */
  readonly droppedRules: readonly number[];
}

// ---------------------------------------------------------------------------------------------
// Waypoint (Envoy) policies: targetRefs-bound AuthorizationPolicies, matched with Envoy semantics.

export type WaypointPolicyBinding =
  | { readonly kind: 'Gateway'; readonly waypoint: string }
  | { readonly kind: 'Service'; readonly service: string }
  | { readonly kind: 'ServiceEntry'; readonly serviceEntry: string }
  | { readonly kind: 'GatewayClass' };

export interface WaypointAuthorization {
  readonly key: string;
  readonly ref: ObjectRef;
  readonly source: SourceRef;
  readonly action: AuthorizationAction;
  /** Absent rules: no rules (allow-nothing for ALLOW). */
  readonly rules: readonly Rule[];
  readonly bindings: readonly WaypointPolicyBinding[];
  readonly dryRun: boolean;
  readonly provider?: string;
}

/** The fields Envoy's RBAC needs from an AuthorizationPolicy, at a waypoint or a sidecar. */
export type EnvoyAuthorization = Pick<WaypointAuthorization, 'key' | 'ref' | 'source' | 'action' | 'rules' | 'dryRun' | 'provider'>;

// ---------------------------------------------------------------------------------------------
// Sidecar (Envoy) inbound policies: selector, namespace-wide and root-namespace AuthorizationPolicies.

/**
 * An AuthorizationPolicy as destination sidecars receive it (istio/istio:pilot/pkg/model/policyattachment.go
 * `WorkloadPolicyMatcher.ShouldAttachPolicy`: selector or selector-less, own or root namespace; never targetRefs).
 */
export interface SidecarAuthorization extends EnvoyAuthorization {
  readonly namespace: string;
  /** GLOBAL: root namespace without selector; NAMESPACE: without selector; WORKLOAD_SELECTOR: with one. */
  readonly scope: AuthorizationScope;
  readonly selector?: LabelSelector;
}

/** Where a RequestAuthentication applies: sidecars by selector/namespace/root, waypoints by targetRefs. */
export interface MeshRequestAuthentication {
  readonly key: string;
  readonly namespace: string;
  readonly scope: AuthorizationScope;
  readonly selector?: LabelSelector;
  /** targetRefs bindings (waypoints); empty for selector and selector-less ones. */
  readonly bindings: readonly WaypointPolicyBinding[];
  readonly jwtRules: readonly JwtRule[];
}

/** Everything an enforcement point or router needs, as istiod would have pushed it. */
export interface Mesh {
  readonly meshConfig: MeshConfig;
  readonly istiodEnv: IstiodEnv;
  readonly workloads: readonly Workload[];
  readonly services: readonly MeshService[];
  readonly waypoints: readonly Waypoint[];
  /** All ztunnel authorizations, including converted and static ones. */
  readonly ztunnelPolicies: readonly ZtunnelAuthorization[];
  readonly waypointPolicies: readonly WaypointAuthorization[];
  /** Policies destination sidecars enforce (Envoy semantics). */
  readonly sidecarPolicies: readonly SidecarAuthorization[];
  /** PeerAuthentications as written (valid ones): sidecars compose them per workload and port. */
  readonly peerAuthentications: readonly PeerAuthentication[];
  readonly requestAuthentications: readonly MeshRequestAuthentication[];
  /** Node name to its addresses. */
  readonly nodes: Readonly<Record<string, readonly string[]>>;
  readonly diagnostics: readonly Diagnostic[];
}
