import type { Flow } from '../../model/flow.js';
import type { MeshService, Workload } from '../../model/mesh.js';
import type { Hop, HopTransport, Step } from '../../model/result.js';
import type { ReasonCode } from '../../model/reason.js';
import type { RequestAttributes } from '../authz/types.js';
import { requestToken } from '../authn/bearer-token.js';
import { sidecarMtlsMode } from '../authn/peer-authentication-mode.js';
import type { MeshIndex } from '../mesh-index.js';
import { inboundPortProtocol } from './port-protocol.js';
import type { SidecarCheckpointFacts } from '../../model/evaluation.js';
export type { SidecarCheckpointFacts } from '../../model/evaluation.js';

/** Who sends the last leg: a ztunnel, an Envoy (sidecar or waypoint, with auto-mTLS), or a plaintext client. */
export type Sender = 'ztunnel' | 'envoy' | 'plain';

/** The label istiod reads to mark a pod as accepting HBONE itself (pilot/pkg/model `TunnelLabel`, `TunnelHTTP`). */
export const TUNNEL_LABEL = 'networking.istio.io/tunnel';

export interface SidecarLeg {
  readonly steps: Step[];
  readonly hops: Hop[];
  readonly attributes: RequestAttributes;
  readonly facts: SidecarCheckpointFacts;
}

/**
 * The last leg into a sidecar-injected pod and what its inbound listener sees. Transport:
 * - from an Envoy (sidecar or waypoint): Istio mTLS with the sender's identity, unless the destination
 *   port's PeerAuthentication is DISABLE, which auto-mTLS honours with plaintext
 *   (istio/istio:pilot/pkg/networking/core/cluster_builder.go `buildAutoMtlsSettings`);
 * - from a ztunnel: HBONE only when the pod is labelled `networking.istio.io/tunnel=http`, else plain TCP,
 *   since istiod gives a sidecar pod no tunnel protocol (pilot/pkg/serviceregistry/ambient/workloads.go,
 *   `model.SupportsTunnel(p.Labels, model.TunnelHTTP)`) and ztunnel sends TCP to such a workload
 *   (istio/ztunnel:src/proxy/outbound.rs `build_request`);
 * - from outside the mesh: plaintext.
 */
export function sidecarLeg(
  sender: { readonly kind: Sender; readonly label: string; readonly identity: string | null; readonly ip: string; readonly at: string },
  dest: Workload, containerPort: number, flow: Flow, ctx: { readonly index: MeshIndex; readonly service?: { readonly service: MeshService; readonly port: number } },
): SidecarLeg {
  const mtls = sidecarMtlsMode(ctx.index.mesh.peerAuthentications, dest, containerPort, ctx.index.mesh.meshConfig.rootNamespace);
  const steps: Step[] = [];
  let transport: HopTransport = 'plaintext';
  let note: ReasonCode | undefined;
  if (sender.kind === 'envoy') {
    [transport, note] = mtls.mode === 'DISABLE' ? ['plaintext', 'routed-sidecar-plaintext-mtls-disabled'] : ['mtls', 'routed-sidecar-mtls'];
  } else if (sender.kind === 'ztunnel') {
    [transport, note] = dest.labels[TUNNEL_LABEL] === 'http' ? ['hbone', 'routed-hbone-to-sidecar'] : ['plaintext', 'routed-plaintext-to-sidecar'];
  }
  if (note) steps.push({ at: sender.at, code: note, effect: 'info', detail: { workload: dest.uid, ...(mtls.policy ? { peerAuthentication: mtls.policy } : {}) } });
  const identity = transport === 'plaintext' ? null : sender.identity;
  // L7 attributes exist only on an HTTP chain: a declared HTTP port, or an undeclared one that sniffs HTTP
  // (pilot/pkg/networking/core/listener_inbound.go); a TCP port gets the network RBAC filter (builder.go forTCP).
  const protocol = inboundPortProtocol(ctx.index, dest, containerPort, ctx.service);
  const http = flow.protocol === 'http' && protocol !== 'tcp' ? flow.http : undefined;
  if (flow.protocol === 'http' && protocol === 'tcp') {
    steps.push({ at: `sidecar ${dest.uid}`, code: 'sidecar-tcp-port', effect: 'info', detail: { port: containerPort } });
  }
  const token = http ? requestToken(flow) : undefined;
  const attributes: RequestAttributes = {
    srcIdentity: identity, srcIp: sender.ip, dstIp: dest.ips[0] ?? '', dstPort: containerPort,
    ...(http ? { http } : {}), ...(http && flow.l7Unknown ? { l7Unknown: flow.l7Unknown } : {}), ...(token ? { token } : {}),
  };
  return { steps, hops: [{ from: sender.label, to: dest.uid, transport, peerIdentity: identity }], attributes, facts: { mtls } };
}
