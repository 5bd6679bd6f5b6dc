import type { ReasonCode } from '../model/reason.js';
import type { NearMiss, Step } from '../model/result.js';

type Detail = Readonly<Record<string, string | number | boolean | null>>;

/** The English for every reason code; the compiler checks that none is missing. */
const TEXT: Record<ReasonCode, (step: Step, d: Detail) => string> = {
  'allow-policy-matched': (s) => `allowed by ${s.policy} rule ${s.rule}`,
  'deny-policy-matched': (s) => `denied by DENY policy ${s.policy} rule ${s.rule}`,
  'strict-mtls-plaintext-denied': (s) => `denied: plaintext is refused under STRICT mTLS (${s.policy})`,
  'no-allow-policy-matched': () => 'denied: ALLOW policies apply here and none matched',
  'no-allow-policies': () => 'allowed: no ALLOW policy applies here and no DENY matched',
  'no-enforcement-point': () => 'allowed: nothing on the path enforces policy (no ztunnel or waypoint captures this traffic)',
  'service-has-no-endpoints': (_, d) => `refused: Service ${d['service']} has no endpoints`,
  'service-port-protocol-undeclared': (_, d) => `undeliverable: Service ${d['service']} declares port ${d['port']} for ${d['declared']}, not ${d['protocol']}; kube-proxy has no rule for it, so it reaches nothing`,
  'service-target-port-undeclared': (_, d) => `undeliverable: no endpoint of Service ${d['service']} declares the container port "${d['targetPort']}" that port ${d['port']} targets, so no pod serves it`,
  'unknown-source': (_, d) => `refused: source ${d['source']} is not in the manifests`,
  'unknown-destination': (_, d) => `refused: ${d['why'] ?? `destination ${d['destination']} is not in the manifests`}`,
  'l7-undecidable': () => 'undecidable: a rule depends on HTTP attributes that are not known for this flow (TLS or HTTP/2)',
  'policy-dry-run': (s, d) => `dry-run policy ${s.policy} ${d['matched'] ? 'would have matched' : 'did not match'}; not enforced`,
  'policy-action-not-enforced': (s, d) => `${d['action']} policy ${s.policy} is in scope but not enforced here`,
  'routed-via-waypoint': (_, d) => `routed through waypoint ${d['waypoint']} over HBONE`,
  'routed-hbone-direct': (_, d) => `HBONE straight to ${d['workload']}`,
  'routed-plaintext-to-unenrolled': (_, d) => `plain TCP to ${d['workload']}, which is not in the mesh: no policy applies`,
  'routed-plaintext-from-unenrolled': (_, d) => `${d['source']} is not in the mesh: plaintext straight to the pod, no waypoint`,
  'routed-passthrough-external': (_, d) => `passthrough to ${d['destination']}, outside the mesh`,
  'waypoint-not-ready': (_, d) => `waypoint ${d['waypoint']} has no status.addresses yet (not ready): bypassed`,
  'waypoint-wrong-traffic-type': (_, d) => `waypoint ${d['waypoint']} does not take this traffic type (istio.io/waypoint-for): not used`,
  'waypoint-cross-namespace-refused': (_, d) => `waypoint ${d['waypoint']} is in another namespace and its listener's allowedRoutes refuse this one: not used`,
  'waypoint-bypassed-service-addressed': (_, d) => `the pod's waypoint ${d['waypoint']} is skipped because the traffic was addressed to a Service`,
  'waypoint-bypassed-pod-addressed': (_, d) => `the Service's waypoint ${d['waypoint']} is skipped: traffic reaches the pod directly`,
  'waypoint-missing': (_, d) => `istio.io/use-waypoint names ${d['waypoint']}, which does not exist: no waypoint`,
  'source-own-waypoint-skipped': (_, d) => `traffic from waypoint ${d['waypoint']} itself does not loop through it`,
  'not-captured-udp': () => 'UDP is not captured by ztunnel: no policy, no mTLS',
  'not-captured-loopback': (_, d) => `${d['workload']} calls itself over loopback: not captured`,
  'service-headless-pod-addressed': (_, d) => `Service ${d['service']} is headless (clusterIP: None): its name resolves to the pod IP of ${d['workload']}, so this is pod-addressed traffic`,
  'service-external-name-followed': (_, d) => `Service ${d['service']} is an ExternalName alias for ${d['name']}: the client connects to what that name resolves to`,
  'not-captured-same-node-host': (_, d) => `host-network traffic on node ${d['node']} to a pod on the same node skips ztunnel (kubelet-probe rule)`,
  'sidecar-out-of-scope': (_, d) => `${d['workload']} runs a sidecar; this report predates sidecar simulation, so no verdict is claimed about its policies`,
  'routed-sidecar-mtls': (_, d) => `Istio mTLS (auto-mTLS) to the sidecar of ${d['workload']}`,
  'routed-sidecar-plaintext-mtls-disabled': (_, d) => `plaintext to the sidecar of ${d['workload']}: its PeerAuthentication ${d['peerAuthentication']} is DISABLE, so auto-mTLS sends no TLS`,
  'routed-sidecar-hbone-to-ambient': (_, d) => `the sidecar opens HBONE with its own identity straight to ${d['workload']}'s ztunnel`,
  'routed-plaintext-to-sidecar': (_, d) => `plain TCP to the sidecar of ${d['workload']}: ztunnel sends HBONE only to pods that accept it (label networking.istio.io/tunnel=http)`,
  'routed-hbone-to-sidecar': (_, d) => `HBONE to the sidecar of ${d['workload']}, which accepts tunnels (networking.istio.io/tunnel=http)`,
  'ingress-skips-waypoint': (_, d) => `the ingress gateway skips waypoint ${d['waypoint']} (the Service and its namespace lack istio.io/ingress-use-waypoint=true): its policies do not apply`,
  'routed-ingress-via-waypoint': (_, d) => `the ingress gateway sends the request through waypoint ${d['waypoint']} (istio.io/ingress-use-waypoint=true)`,
  'sidecar-skips-waypoint': (_, d) => `sidecars do not use waypoints: waypoint ${d['waypoint']} is skipped and its policies do not apply`,
  'sidecar-tcp-port': (_, d) => `port ${d['port']} is declared as TCP: the sidecar sees no HTTP attributes (ALLOW rules using them cannot match, DENY rules drop them)`,
  'jwt-validated': (s, d) => `JWT from issuer ${d['issuer']} accepted by RequestAuthentication ${s.policy}; request principal ${d['principal']}`,
  'jwt-rejected': (s, d) => `denied with 401: ${d['why'] === 'invalid-token' ? 'the JWT is invalid' : `no RequestAuthentication here accepts issuer "${d['issuer']}"`} (${s.policy})`,
  'custom-provider-invalid': (s) => `denied: CUSTOM policy ${s.policy} names a provider istiod cannot use here (not an ext_authz provider of the mesh config, or a second provider at this proxy), so istiod turned its rules into DENY rules`,
  'rate-limited': (s, d) => `rejected with ${d['status']} by the local rate limit of EnvoyFilter ${s.policy}: its token bucket (${d['maxTokens']} tokens, ${d['tokensPerFill']} more every ${d['fillInterval']} s) had ${tokens(d['tokensBefore'])} left; ${d['nextTokenAt'] === null ? 'it never refills' : `the next token is due at ${d['nextTokenAt']} s`}`,
  'certificate-expired': (_, d) => `HBONE failed: ${d['side']} workload certificate of ${d['identity']} ${certificateWhy(d)}; ${d['lastAttempt'] === null ? 'istiod was never reached for it' : `the last request to istiod, at ${d['lastAttempt']} s, failed`}`,
  'custom-provider-undecidable': (s) => `undecidable: CUSTOM policy ${s.policy} sends this request to its external authorizer, whose answer is not known; the verdict shown assumes it allows`,
};

/** A token count as a person reads it: whole, or to two decimals. */
function tokens(v: Detail[string] | undefined): string {
  return typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v);
}

function certificateWhy(d: Detail): string {
  if (d['why'] === 'lost-on-restart') return `was lost when its ztunnel restarted at ${d['lostAt']} s`;
  if (d['why'] === 'never-issued') return 'was never issued';
  return `expired at ${d['expiredAt']} s`;
}

/** A sentence describing one step. */
export function stepText(step: Step): string {
  return TEXT[step.code](step, step.detail ?? {});
}

/** A sentence describing why an ALLOW policy's closest rule missed. */
export function nearMissText(miss: NearMiss): string {
  if (miss.field === 'http-attributes') {
    return `rule ${miss.rule} was dropped by istiod for ztunnel because it uses HTTP attributes; enforce it at a waypoint (targetRefs) or remove the HTTP fields`;
  }
  const actual = miss.actual === null ? 'nothing (no value for this connection)' : `"${miss.actual}"`;
  return `nearest miss: rule ${miss.rule}, ${miss.field} wants ${miss.expected.map((e) => `"${e}"`).join(' or ')}, got ${actual}`;
}
