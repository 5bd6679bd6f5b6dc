/**
 * Every fact the engine can establish about a flow. The English for each lives in
 * `report/reason-text.ts`; tests and scenarios assert codes, never prose.
 */
export type ReasonCode =
  // decisions
  | 'allow-policy-matched'
  | 'deny-policy-matched'
  | 'strict-mtls-plaintext-denied'
  | 'no-allow-policy-matched'
  | 'no-allow-policies'
  | 'no-enforcement-point'
  | 'service-has-no-endpoints'
  | 'service-port-protocol-undeclared'
  | 'service-target-port-undeclared'
  | 'unknown-source'
  | 'unknown-destination'
  | 'l7-undecidable'
  // policy notes
  | 'policy-dry-run'
  | 'policy-action-not-enforced'
  // routing and capture
  | 'routed-via-waypoint'
  | 'routed-hbone-direct'
  | 'routed-plaintext-to-unenrolled'
  | 'routed-plaintext-from-unenrolled'
  | 'routed-passthrough-external'
  | 'waypoint-not-ready'
  | 'waypoint-wrong-traffic-type'
  | 'waypoint-cross-namespace-refused'
  | 'waypoint-bypassed-service-addressed'
  | 'waypoint-bypassed-pod-addressed'
  | 'waypoint-missing'
  | 'source-own-waypoint-skipped'
  | 'not-captured-udp'
  | 'not-captured-loopback'
  | 'not-captured-same-node-host'
  | 'service-headless-pod-addressed'
  | 'service-external-name-followed'
  /** No longer produced (sidecars are simulated); kept so older reports still read. */
  | 'sidecar-out-of-scope'
  // sidecar mode and request authentication
  | 'routed-sidecar-mtls'
  | 'routed-sidecar-plaintext-mtls-disabled'
  | 'routed-sidecar-hbone-to-ambient'
  | 'routed-plaintext-to-sidecar'
  | 'routed-hbone-to-sidecar'
  | 'sidecar-skips-waypoint'
  | 'ingress-skips-waypoint'
  | 'routed-ingress-via-waypoint'
  | 'sidecar-tcp-port'
  | 'jwt-validated'
  | 'jwt-rejected'
  | 'custom-provider-undecidable'
  | 'custom-provider-invalid'
  // timeline: component state over time
  | 'rate-limited'
  | 'certificate-expired';

/** Whether a step decided the flow (allow/deny) or only records a fact on the way. */
export type StepEffect = 'allow' | 'deny' | 'info';
