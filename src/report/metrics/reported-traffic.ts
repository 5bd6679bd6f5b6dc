import type { FlowResult, Hop } from '../../model/result.js';
import type { PeerLabels, TelemetryDirectory } from './workload-labels.js';

/**
 * What each Istio reporter would record for one flow, in the label names of Istio's standard
 * metrics. Only the reporters that enforce are modelled: the destination ztunnel (L4, reporter
 * `destination`; istio/ztunnel src/proxy/inbound.rs builds the connection's metrics with
 * `Reporter::destination` before `assert_rbac`, so a denied connection is opened and then closed
 * with `response_flags="DENY"`, src/proxy/metrics.rs `record_with_flag`), the waypoint (HTTP
 * requests, reporter `waypoint`) and a destination sidecar (HTTP requests or TCP, reporter
 * `destination`). Source-side reports (reporter `source`) are not written.
 */

export type Labels = Readonly<Record<string, string>>;

/** One connection a ztunnel or sidecar records: its labels, and the response flag it closed with. */
export interface ReportedConnection {
  readonly labels: Labels;
  /** `-`, or `DENY` when the reporter's policy rejected it (ztunnel `ResponseFlags::AuthorizationPolicyDenied`). */
  readonly closeFlag: '-' | 'DENY';
}

/** One HTTP request an Envoy (waypoint or sidecar) records in `istio_requests_total`. */
export interface ReportedRequest {
  readonly labels: Labels;
}

export interface ReportedTraffic {
  readonly connections: readonly ReportedConnection[];
  readonly requests: readonly ReportedRequest[];
}

const UNKNOWN = 'unknown';
/** Istio's default cluster id (`CLUSTER_ID`, `Kubernetes` unless set). */
const CLUSTER = 'Kubernetes';

/** The reports one result gives rise to (none for traffic no Istio component saw). */
export function reportedTraffic(result: FlowResult, http: boolean, directory: TelemetryDirectory): ReportedTraffic {
  const connections: ReportedConnection[] = [];
  const requests: ReportedRequest[] = [];
  const service = serviceOf(result.destination, directory);
  const last = result.hops[result.hops.length - 1];
  const delivered = last !== undefined && result.steps.some((s) => s.at.startsWith('destination-ztunnel ') || s.at.startsWith('sidecar '));
  const destination = delivered ? directory.peers.get(last.to) : undefined;
  const ztunnelDenied = result.verdict === 'deny' && result.decidedBy.component === 'destination-ztunnel';
  if (last && result.steps.some((s) => s.at.startsWith('destination-ztunnel '))) {
    const labels = peerLabels('destination', last, directory, destination, service, 'tcp', last.transport === 'hbone' ? 'mutual_tls' : 'unknown');
    connections.push({ labels, closeFlag: ztunnelDenied ? 'DENY' : '-' });
  }
  const waypointStep = result.steps.find((s) => s.at.startsWith('waypoint '));
  if (http && waypointStep && result.hops[0]) {
    const deniedHere = result.verdict === 'deny' && result.decidedBy.component === 'waypoint';
    const code = deniedHere ? '403' : ztunnelDenied ? '503' : '200';
    const flags = code === '503' ? 'UF' : '-';
    const labels = peerLabels('waypoint', result.hops[0], directory, deniedHere ? undefined : destination, service, 'http', securityOf(result.hops[0]));
    requests.push({ labels: withResponse(labels, code, flags) });
  }
  const sidecarStep = result.steps.find((s) => s.at.startsWith('sidecar '));
  if (sidecarStep && last) {
    const denied = result.verdict === 'deny' && result.decidedBy.component === 'sidecar';
    const labels = peerLabels('destination', last, directory, destination, service, http ? 'http' : 'tcp', securityOf(last));
    if (http) requests.push({ labels: withResponse(labels, denied ? '403' : '200', '-') });
    else connections.push({ labels, closeFlag: denied ? 'DENY' : '-' });
  }
  return { connections, requests };
}

/** Envoy's `connection_security_policy`: `mutual_tls` over mTLS or HBONE, `none` in plaintext. */
function securityOf(hop: Hop): string {
  return hop.transport === 'plaintext' ? 'none' : 'mutual_tls';
}

/** The Service a result was addressed to, when its destination names one on one of its ports. */
function serviceOf(label: string, directory: TelemetryDirectory): { name: string; namespace: string } | undefined {
  const colon = label.lastIndexOf(':');
  const key = colon > 0 ? label.slice(0, colon) : label;
  const port = Number(label.slice(colon + 1));
  const ports = directory.services.get(key);
  if (!ports || !ports.includes(port)) return undefined;
  const [namespace, name] = key.split('/') as [string, string];
  return { name, namespace };
}

/** The labels istio/ztunnel src/proxy/metrics.rs `CommonTrafficLabels` writes, in its order. */
function peerLabels(
  reporter: string, inbound: Hop, directory: TelemetryDirectory, destination: PeerLabels | undefined,
  service: { name: string; namespace: string } | undefined, protocol: 'tcp' | 'http', security: string,
): Record<string, string> {
  const source = directory.peers.get(inbound.from);
  return {
    reporter,
    source_workload: source?.workload ?? UNKNOWN,
    source_canonical_service: source?.canonicalService ?? UNKNOWN,
    source_canonical_revision: source?.canonicalRevision ?? UNKNOWN,
    source_workload_namespace: source?.namespace ?? UNKNOWN,
    // The identity the receiver authenticated; none over plaintext (ztunnel sets it only from mTLS).
    source_principal: inbound.peerIdentity ?? UNKNOWN,
    source_app: source?.canonicalService ?? UNKNOWN,
    source_version: source?.canonicalRevision ?? UNKNOWN,
    source_cluster: source ? CLUSTER : UNKNOWN,
    destination_service: service ? `${service.name}.${service.namespace}.svc.${directory.domain}` : UNKNOWN,
    destination_service_namespace: service?.namespace ?? UNKNOWN,
    destination_service_name: service?.name ?? UNKNOWN,
    destination_workload: destination?.workload ?? UNKNOWN,
    destination_canonical_service: destination?.canonicalService ?? UNKNOWN,
    destination_canonical_revision: destination?.canonicalRevision ?? UNKNOWN,
    destination_workload_namespace: destination?.namespace ?? UNKNOWN,
    destination_principal: destination?.principal ?? UNKNOWN,
    destination_app: destination?.canonicalService ?? UNKNOWN,
    destination_version: destination?.canonicalRevision ?? UNKNOWN,
    destination_cluster: destination ? CLUSTER : UNKNOWN,
    request_protocol: protocol,
    connection_security_policy: security,
  };
}

/** Istio's request labels: the peer labels with `response_code`, `grpc_response_status` and `response_flags`. */
function withResponse(labels: Labels, code: string, flags: string): Labels {
  const { connection_security_policy: security, ...rest } = labels;
  return { ...rest, response_code: code, grpc_response_status: '', response_flags: flags, connection_security_policy: security as string };
}
