import type { Flow } from '../../model/flow.js';
import type { ReasonCode } from '../../model/reason.js';
import type { Hop, Step } from '../../model/result.js';
import type {Workload } from '../../model/mesh.js';
import type { RequestAttributes } from '../authz/types.js';
import type { MeshIndex } from '../mesh-index.js';
import { resolveDestination, resolverFor, resolveSource, type ResolvedDestination, type ResolvedSource, type ServiceAlias } from './endpoints.js';
import { chooseWaypoint } from './choose-waypoint.js';
import { requestToken } from '../authn/bearer-token.js';
import { sidecarLeg } from './sidecar-legs.js';
import type { Checkpoint } from '../../model/evaluation.js';
export type { Checkpoint } from '../../model/evaluation.js';

/** The data path ztunnel would build for a flow: facts on the way, legs, and enforcement points. */
export interface RoutePlan {
  readonly source: string;
  readonly destination: string;
  readonly steps: readonly Step[];
  readonly hops: readonly Hop[];
  readonly checkpoints: readonly Checkpoint[];
  /** Node whose ztunnel sent the flow, when the source is captured. */
  readonly sourceNode?: string;
  /** Set when no enforcement point is on the path: the outcome without any policy. */
  readonly terminal?: { readonly verdict: 'allow' | 'deny'; readonly reason: ReasonCode };
}

/**
 * Plans a flow's path in istio/ztunnel:src/proxy/outbound.rs `build_request` order, after the CNI's
 * capture rules (istio/istio:cni/pkg/iptables/iptables.go): what is not captured meets no policy.
 */
export function planRoute(flow: Flow, index: MeshIndex): RoutePlan {
  const src = resolveSource(flow.source, index);
  const resolver = resolverFor(src);
  const dst = resolveDestination(flow, index, resolver);
  const early = earlyOutcome(flow, src, dst);
  const body = early ?? routedBody(flow, src, dst, index);
  // The source ztunnel sent it when it resolved the Service itself and routed it (`fromAmbient`).
  const sourceNode = early === undefined && resolver === 'ztunnel' && src.kind === 'workload' ? src.workload.node : undefined;
  return plan(src, dst, dst.kind === 'unknown' || dst.via === undefined ? body : { ...body, steps: [aliasStep(dst.via), ...body.steps] }, sourceNode);
}

/** The fact that the flow's Service handed it on: to a headless Service's pod, or along an ExternalName alias. */
function aliasStep(via: ServiceAlias): Step {
  return via.kind === 'headless'
    ? info('network', 'service-headless-pod-addressed', { service: via.service, workload: via.to })
    : info('network', 'service-external-name-followed', { service: via.service, name: via.to });
}

/** The path of a flow that reaches a pod, by the kind of its source. */
function routedBody(flow: Flow, src: ResolvedSource, dst: ResolvedDestination, index: MeshIndex): PlanBody {
  const target = dst as Target;
  const destWorkload = target.kind === 'service' ? (target.endpoint as Workload) : target.workload;
  const s = src as Exclude<ResolvedSource, { kind: 'unknown' }>;
  if (s.kind === 'workload' && s.workload.ingressGatewayFor !== undefined && s.workload.enrollment !== 'sidecar') {
    return fromIngressGateway(flow, s, target, destWorkload, index);
  }
  if (s.kind === 'workload' && s.workload.enrollment === 'sidecar') return fromSidecar(flow, s, target, destWorkload, index);
  if (s.kind === 'workload' && s.workload.enrollment === 'ambient') return fromAmbient(flow, s, target, destWorkload, index);
  return fromOutsideMesh(flow, s, target, destWorkload, index);
}

/** Assembles a plan with a fixed object shape (object spread is slow on this hot path). */
function plan(src: ResolvedSource, dst: ResolvedDestination, body: PlanBody, sourceNode?: string): RoutePlan {
  return {
    source: src.label, destination: dst.label, steps: body.steps, hops: body.hops, checkpoints: body.checkpoints,
    sourceNode, terminal: body.terminal,
  };
}

type PlanBody = Omit<RoutePlan, 'source' | 'destination'>;

/** Outcomes decided before any proxy: unknown or undeliverable endpoints, UDP, loopback, same-node host traffic, external. */
function earlyOutcome(flow: Flow, src: ResolvedSource, dst: ResolvedDestination): PlanBody | undefined {
  if (src.kind === 'unknown') return terminal('unknown-source', 'deny', { source: src.label });
  if (dst.kind === 'unknown') return terminal('unknown-destination', 'deny', { destination: dst.label, why: dst.why });
  // The Service address reaches no pod for this flow (service-delivery.ts): nothing carries it.
  if (dst.kind === 'undeliverable') return terminal(dst.why.code, 'deny', dst.why.detail);
  if (dst.kind === 'service' && dst.endpoint === null) return terminal('service-has-no-endpoints', 'deny', { service: dst.service.key });
  // Only TCP is redirected; UDP (other than DNS) bypasses ztunnel (cni/pkg/iptables/testdata/default.golden).
  if (flow.protocol === 'udp') return terminal('not-captured-udp', 'allow', {}, plainHop(src.label, dst.label));
  if (dst.kind === 'external' || dst.kind === 'node') {
    const ambient = src.kind === 'workload' && src.workload.enrollment === 'ambient';
    // Unknown destination IPs get a TCP passthrough from the source ztunnel (outbound.rs `build_request`).
    return terminal(ambient ? 'routed-passthrough-external' : 'no-enforcement-point', 'allow', { destination: dst.label }, plainHop(src.label, dst.label));
  }
  const destWorkload = dst.kind === 'service' ? (dst.endpoint as Workload) : dst.workload;
  // Loopback: a pod dialling its own pod IP leaves through `lo` (the kernel's local routing table),
  // which the in-pod rules let through: `! -d 127.0.0.1/32 -o lo -j ACCEPT`, "do not redirect app
  // calls to back itself via Ztunnel when using the endpoint address" (cni/pkg/iptables/iptables.go
  // `AppendInpodRules`). Its own Service VIP routes out of eth0 and is captured like any other call.
  if (dst.kind === 'workload' && src.kind === 'workload' && src.workload.uid === destWorkload.uid) {
    return terminal('not-captured-loopback', 'allow', { workload: destWorkload.uid }, plainHop(src.label, dst.label));
  }
  // Host-namespace traffic on the destination's own node is SNATed to 169.254.7.127 and skips the pod's
  // redirection (cni/pkg/iptables/iptables.go, testdata hostprobe.golden): no policy, no STRICT.
  const srcNode = src.kind === 'node' ? src.node : src.kind === 'workload' && src.workload.hostNetwork ? src.workload.node : undefined;
  if (srcNode !== undefined && srcNode === destWorkload.node) {
    return terminal('not-captured-same-node-host', 'allow', { node: srcNode }, plainHop(src.label, dst.label));
  }
  return undefined;
}

function terminal(reason: ReasonCode, verdict: 'allow' | 'deny', detail: Readonly<Record<string, string | number>>, hops: Hop[] = []): PlanBody {
  return { steps: [{ at: 'network', code: reason, effect: verdict, detail }], hops, checkpoints: [], terminal: { verdict, reason } };
}

function plainHop(from: string, to: string): Hop[] {
  return [{ from, to, transport: 'plaintext', peerIdentity: null }];
}

export function info(at: string, code: ReasonCode, detail: Record<string, string | number | boolean | null> = {}): Step {
  return { at, code, effect: 'info', detail };
}

type Target = Exclude<ResolvedDestination, { kind: 'unknown' | 'external' | 'node' | 'undeliverable' }>;

/** A captured source: its ztunnel picks waypoint, HBONE to the pod, or plain TCP. */
function fromAmbient(flow: Flow, src: Extract<ResolvedSource, { kind: 'workload' }>, dst: Target, dest: Workload, index: MeshIndex): PlanBody {
  const at = `source-ztunnel ${src.workload.node ?? '?'}`;
  const choice = chooseWaypoint(src.workload, dst.kind === 'service' ? dst.service : null, dest, index);
  const steps: Step[] = choice.notes.map((n) => info(at, n.code, n.detail));
  const dstIp = dst.kind === 'service' ? dst.vip : dst.ip;
  const port = dst.kind === 'service' ? dst.servicePort : dst.port;
  const containerPort = dst.kind === 'service' ? dst.targetPort : dst.port;
  const destLabel = dest.uid;
  if (choice.waypoint) {
    const wp = choice.waypoint;
    steps.push(info(at, 'routed-via-waypoint', { waypoint: wp.key }));
    const toWp: Hop = { from: src.label, to: wp.key, transport: 'hbone', peerIdentity: src.workload.identity };
    const wpIp = wp.ips[0] ?? '';
    const after = destinationLeg({ kind: 'envoy', label: wp.key, identity: wp.identity, ip: wpIp, at: `waypoint ${wp.key}` }, dest, containerPort, flow, legContext(index, dst));
    const wpCheck: Checkpoint = {
      component: 'waypoint', name: wp.key, at: `waypoint ${wp.key}`, waypoint: wp, service: choice.service,
      attributes: attributes(flow, src.workload.identity, src.ip, dstIp, port), hopsAfter: after.hops,
    };
    return { steps: [...steps, ...after.steps], hops: [toWp], checkpoints: [wpCheck, ...after.checkpoints] };
  }
  if (dest.enrollment === 'none') {
    // The destination has no tunnel protocol: plain TCP, no policy anywhere (build_request_known_dest_*_tcp;
    // tests/integration/ambient/baseline_test.go TestAuthorizationL4 "no RBAC to apply").
    steps.push(info(at, 'routed-plaintext-to-unenrolled', { workload: destLabel }));
    return { steps, hops: plainHop(src.label, destLabel), checkpoints: [], terminal: { verdict: 'allow', reason: 'routed-plaintext-to-unenrolled' } };
  }
  if (dest.enrollment === 'ambient') steps.push(info(at, 'routed-hbone-direct', { workload: destLabel }));
  const leg = destinationLeg({ kind: 'ztunnel', label: src.label, identity: src.workload.identity, ip: src.ip, at }, dest, containerPort, flow, legContext(index, dst));
  return { steps: [...steps, ...leg.steps], hops: leg.hops, checkpoints: leg.checkpoints };
}

/**
 * An ingress gateway source: an Envoy like a sidecar (HBONE with its own identity to ambient pods, mTLS
 * to sidecars), which skips waypoints unless the Service, else its namespace, is labelled
 * `istio.io/ingress-use-waypoint=true`; then it sends the request to the Service's waypoint
 * (docs/ambient-semantics.md §1 and §4; pilot/pkg/serviceregistry/ambient/services.go
 * `ingressUseWaypointFromLabels`; tests/integration/ambient/waypoint_test.go `TestIngressToWaypoint`).
 */
function fromIngressGateway(flow: Flow, src: Extract<ResolvedSource, { kind: 'workload' }>, dst: Target, dest: Workload, index: MeshIndex): PlanBody {
  const at = `ingress-gateway ${src.workload.ingressGatewayFor ?? src.workload.uid}`;
  const binding = dst.kind === 'service' ? dst.service.waypoint : undefined;
  const wp = binding && !binding.problem ? index.waypointByKey.get(binding.waypoint) : undefined;
  if (!wp || dst.kind !== 'service' || !dst.service.ingressUseWaypoint) {
    const body = fromSidecar(flow, src, dst, dest, index);
    const steps = body.steps.map((s) => (s.code === 'sidecar-skips-waypoint' ? info(at, 'ingress-skips-waypoint', s.detail ?? {})
      : s.at.startsWith('source-sidecar ') ? { ...s, at } : s));
    return { ...body, steps };
  }
  const steps: Step[] = [info(at, 'routed-ingress-via-waypoint', { waypoint: wp.key })];
  const toWp: Hop = { from: src.label, to: wp.key, transport: 'hbone', peerIdentity: src.workload.identity };
  const after = destinationLeg({ kind: 'envoy', label: wp.key, identity: wp.identity, ip: wp.ips[0] ?? '', at: `waypoint ${wp.key}` }, dest, dst.targetPort, flow, legContext(index, dst));
  const wpCheck: Checkpoint = {
    component: 'waypoint', name: wp.key, at: `waypoint ${wp.key}`, waypoint: wp, service: dst.service.key,
    attributes: attributes(flow, src.workload.identity, src.ip, dst.vip, dst.servicePort), hopsAfter: after.hops,
  };
  return { steps: [...steps, ...after.steps], hops: [toWp], checkpoints: [wpCheck, ...after.checkpoints] };
}

/**
 * A sidecar source: its Envoy sends HBONE with its own identity to ambient pods, skipping any waypoint
 * (docs/ambient-semantics.md §1, §4; tests/integration/ambient/waypoint_test.go), Istio mTLS to sidecar
 * pods (auto-mTLS), and plain TCP to pods outside the mesh, where nothing enforces policy.
 */
function fromSidecar(flow: Flow, src: Extract<ResolvedSource, { kind: 'workload' }>, dst: Target, dest: Workload, index: MeshIndex): PlanBody {
  const at = `source-sidecar ${src.workload.uid}`;
  const containerPort = dst.kind === 'service' ? dst.targetPort : dst.port;
  const steps: Step[] = [];
  if (dst.kind === 'service' && dst.service.waypoint && !dst.service.waypoint.problem) {
    steps.push(info(at, 'sidecar-skips-waypoint', { waypoint: dst.service.waypoint.waypoint }));
  }
  if (dest.enrollment === 'none') {
    steps.push(info(at, 'routed-plaintext-to-unenrolled', { workload: dest.uid }));
    return { steps, hops: plainHop(src.label, dest.uid), checkpoints: [], terminal: { verdict: 'allow', reason: 'routed-plaintext-to-unenrolled' } };
  }
  if (dest.enrollment === 'ambient') steps.push(info(at, 'routed-sidecar-hbone-to-ambient', { workload: dest.uid }));
  const leg = destinationLeg({ kind: 'envoy', label: src.label, identity: src.workload.identity, ip: src.ip, at }, dest, containerPort, flow, legContext(index, dst));
  return { steps: [...steps, ...leg.steps], hops: leg.hops, checkpoints: leg.checkpoints };
}

function legContext(index: MeshIndex, dst: Target): Parameters<typeof sidecarLeg>[4] {
  return dst.kind === 'service' ? { index, service: { service: dst.service, port: dst.servicePort } } : { index };
}

/** Out-of-mesh sources (and node processes) send plaintext straight to the pod; no waypoint is ever used. */
function fromOutsideMesh(flow: Flow, src: Exclude<ResolvedSource, { kind: 'unknown' }>, dst: Target, dest: Workload, index: MeshIndex): PlanBody {
  const containerPort = dst.kind === 'service' ? dst.targetPort : dst.port;
  const steps: Step[] = [info('network', 'routed-plaintext-from-unenrolled', { source: src.label })];
  if (dst.kind === 'service' && dst.service.waypoint && !dst.service.waypoint.problem) {
    steps.push(info('network', 'waypoint-bypassed-pod-addressed', { waypoint: dst.service.waypoint.waypoint, reason: 'source-not-in-mesh' }));
  }
  if (dest.enrollment === 'none') {
    return { steps, hops: plainHop(src.label, dest.uid), checkpoints: [], terminal: { verdict: 'allow', reason: 'no-enforcement-point' } };
  }
  const leg = destinationLeg({ kind: 'plain', label: src.label, identity: null, ip: src.ip, at: 'network' }, dest, containerPort, flow, legContext(index, dst));
  return { steps: [...steps, ...leg.steps], hops: leg.hops, checkpoints: leg.checkpoints };
}

/**
 * The last leg into the destination pod. Into a captured pod: HBONE when the sender has an identity,
 * plaintext otherwise; the destination ztunnel enforces on both (inbound.rs, inbound_passthrough.rs).
 * Into a sidecar pod: see {@link sidecarLeg}; its sidecar enforces. Into any other pod: plaintext, no policy.
 */
function destinationLeg(
  sender: Parameters<typeof sidecarLeg>[0], dest: Workload, containerPort: number, flow: Flow, ctx: Parameters<typeof sidecarLeg>[4],
): { steps: Step[]; hops: Hop[]; checkpoints: Checkpoint[] } {
  const { label: from, identity, ip: srcIp } = sender;
  if (dest.enrollment === 'sidecar') {
    const leg = sidecarLeg(sender, dest, containerPort, flow, ctx);
    const check: Checkpoint = {
      component: 'sidecar', name: dest.uid, at: `sidecar ${dest.uid}`, workload: dest, sidecar: leg.facts,
      attributes: leg.attributes, hopsAfter: [],
    };
    return { steps: leg.steps, hops: leg.hops, checkpoints: [check] };
  }
  const hop: Hop = { from, to: dest.uid, transport: identity ? 'hbone' : 'plaintext', peerIdentity: identity };
  if (dest.enrollment !== 'ambient') return { steps: [], hops: [{ from, to: dest.uid, transport: 'plaintext', peerIdentity: null }], checkpoints: [] };
  const node = dest.node ?? '?';
  const check: Checkpoint = {
    component: 'destination-ztunnel', name: node, at: `destination-ztunnel ${node}`, workload: dest,
    // ztunnel sees the real upstream port: the Service port is already the targetPort (inbound.rs).
    // ztunnel is an L4 proxy: it never sees HTTP (istio/ztunnel src/rbac.rs: Connection has no L7 fields).
    attributes: { srcIdentity: identity, srcIp, dstIp: dest.ips[0] ?? '', dstPort: containerPort },
    hopsAfter: [],
  };
  return { steps: [], hops: [hop], checkpoints: [check] };
}

function attributes(flow: Flow, identity: string | null, srcIp: string, dstIp: string, dstPort: number): RequestAttributes {
  const http = flow.protocol === 'http' ? flow.http : undefined;
  return { srcIdentity: identity, srcIp, dstIp, dstPort, http, l7Unknown: flow.l7Unknown, token: http ? requestToken(flow) : undefined };
}
