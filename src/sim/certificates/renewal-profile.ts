/**
 * When a component asks istiod's CA for a workload certificate again, and how long it waits after a
 * failed request. Two components hold workload certificates in ambient mode, with different rules:
 *
 * - **ztunnel** holds one certificate per identity (service account) of the workloads on its node
 *   (istio/ztunnel:src/identity/manager.rs `SecretManager`). It renews at half the certificate's
 *   validity, measured from `not_before` (istio/ztunnel:src/tls/certificate.rs
 *   `WorkloadCertificate::refresh_at`: `not_before + (not_after - not_before) / 2`). A failed request
 *   is retried with an exponential backoff per identity: first interval 1 s, multiplier 2, at most
 *   150 s, randomization factor 0.2 (manager.rs `CERT_REFRESH_FAILURE_RETRY_DELAY_MAX_INTERVAL` and
 *   the `ExponentialBackoff` in `Worker::run`); once the backoff crate gives up (its default
 *   `max_elapsed_time`, 15 minutes) the delay stays at 150 s. While the old certificate is still
 *   valid, the retry is brought forward to its expiry (`min(refresh_at, cert_expiry_instant)`); a
 *   success resets the backoff.
 * - **istio-agent** (pilot-agent beside Envoy: waypoints and sidecars) rotates at
 *   `expire - SECRET_GRACE_PERIOD_RATIO x lifetime`, lifetime measured from its own creation time
 *   (istio/istio:security/pkg/nodeagent/cache/secretcache.go `rotateTime`; ratio 0.5, jitter ±0.01,
 *   pilot/cmd/pilot-agent/options/options.go). On a failed request the SDS server returns the error and
 *   relies on Envoy's SDS retry (security/pkg/nodeagent/sds/sdsservice.go `generate`); Envoy keeps
 *   serving the previous secret meanwhile. Envoy's retry cadence is not modelled: this profile retries
 *   at the end of the outage (the earliest time a retry can succeed).
 *
 * Both backoffs are randomized upstream; this model takes the middle of each interval, so results are
 * deterministic. Any jitter moves a renewal by at most 20 % of one retry interval (30 s at 150 s).
 */
export interface RenewalProfile {
  readonly kind: 'ztunnel' | 'istio-agent';
  /** Seconds after issuance at which renewal is first attempted, for a certificate of `ttl` seconds. */
  readonly renewAfter: (ttl: number, clockSkewGrace: number) => number;
  /** Delay before the n-th retry (n = 1 for the first retry after a failure); null: retry at recovery. */
  readonly retryDelay: ((n: number) => number) | null;
}

/** istio/ztunnel:src/identity/manager.rs `CERT_REFRESH_FAILURE_RETRY_DELAY_MAX_INTERVAL`. */
export const ZTUNNEL_MAX_RETRY_DELAY = 150;

/**
 * The n-th retry delay of ztunnel's certificate backoff without randomization: 1, 2, 4, ... 128, then
 * 150 s (backoff crate `ExponentialBackoff::next_backoff`: the current interval, then multiplied by 2
 * and capped at `max_interval`).
 */
export function ztunnelRetryDelay(n: number): number {
  return Math.min(2 ** Math.max(0, n - 1), ZTUNNEL_MAX_RETRY_DELAY);
}

/**
 * ztunnel's rule. istiod backdates `NotBefore` by the clock-skew grace (istio/istio:
 * security/pkg/pki/util/generate_cert.go `ClockSkewGracePeriod`, 2 minutes), so the half-life point is
 * `(ttl + grace) / 2 - grace` after issuance: 11 h 59 min for a 24 h certificate.
 */
export const ZTUNNEL_RENEWAL: RenewalProfile = {
  kind: 'ztunnel',
  renewAfter: (ttl, grace) => (ttl + grace) / 2 - grace,
  retryDelay: ztunnelRetryDelay,
};

/** istio-agent's rule: rotation at half of the lifetime since creation (grace ratio 0.5). */
export const ISTIO_AGENT_RENEWAL: RenewalProfile = {
  kind: 'istio-agent',
  renewAfter: (ttl) => ttl * 0.5,
  retryDelay: null,
};
