/**
 * The certificate lifetimes of a mesh, in seconds.
 *
 * - `ttl`: what a workload asks for and gets. ztunnel requests `SECRET_TTL`, default 24 h
 *   (istio/ztunnel:src/config.rs `DEFAULT_TTL`); istio-agent requests `SECRET_TTL`, default 24 h
 *   (istio/istio:pilot/cmd/pilot-agent/options/options.go `secretTTLEnv`). istiod applies
 *   `DEFAULT_WORKLOAD_CERT_TTL` (24 h, security/pkg/cmd/constants.go) only when the request carries a
 *   non-positive TTL (security/pkg/pki/ca/ca.go `IstioCA.sign`).
 * - `maxTtl`: istiod's `MAX_WORKLOAD_CERT_TTL`, default 90 days (security/pkg/cmd/constants.go
 *   `DefaultMaxWorkloadCertTTL`); a request above it is refused ("requested TTL ... is greater than the
 *   max allowed TTL", ca.go), so no certificate is ever issued.
 * - `clockSkewGrace`: istiod backdates `NotBefore` by 2 minutes; `NotAfter` is issuance + ttl
 *   (security/pkg/pki/util/generate_cert.go `genCertTemplateFromCSR`, `ClockSkewGracePeriod`).
 */
export interface CertificateSettings {
  readonly ttl: number;
  readonly maxTtl: number;
  readonly clockSkewGrace: number;
}

export const DEFAULT_CERTIFICATE_SETTINGS: CertificateSettings = {
  ttl: 24 * 60 * 60,
  maxTtl: 90 * 24 * 60 * 60,
  clockSkewGrace: 2 * 60,
};
