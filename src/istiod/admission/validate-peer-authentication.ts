import type { PeerAuthentication, RequestAuthentication } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { problemReporter } from './report-problem.js';
import { validateSelector, validateTargetRefs } from './validate-binding.js';

/** istio/istio:pkg/config/validation/validation.go `ValidatePeerAuthentication`. */
export function validatePeerAuthentication(pa: PeerAuthentication): Diagnostic[] {
  const r = problemReporter('PeerAuthentication', pa.meta);
  validateSelector(r, pa.spec.selector);
  const ports = pa.spec.portLevelMtls;
  if (ports !== undefined) {
    if (!pa.spec.selector || Object.keys(pa.spec.selector.matchLabels ?? {}).length === 0) r.error('port-level-without-selector', 'spec.portLevelMtls', 'portLevelMtls requires a workload selector');
    if (Object.keys(ports).length === 0) r.error('empty-port-level-mtls', 'spec.portLevelMtls', 'portLevelMtls must not be empty');
    for (const port of Object.keys(ports)) {
      if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) r.error('invalid-port', `spec.portLevelMtls.${port}`, `port ${port} in spec.portLevelMtls must be from 1 to 65535`);
    }
  }
  return r.diagnostics;
}

/** istio/istio:pkg/config/validation/validation.go `ValidateRequestAuthentication` (structural checks). */
export function validateRequestAuthentication(ra: RequestAuthentication): Diagnostic[] {
  const r = problemReporter('RequestAuthentication', ra.meta);
  validateTargetRefs(r, ra.spec.selector, ra.spec.targetRefs, false);
  validateSelector(r, ra.spec.selector);
  ra.spec.jwtRules.forEach((j, i) => {
    if (j.issuer === '') r.error('missing-issuer', `spec.jwtRules.${i}`, `spec.jwtRules[${i}].issuer is required`);
    if (j.jwksUri !== undefined && !/^https?:\/\/[^\s/]+/.test(j.jwksUri)) r.error('invalid-jwks-uri', `spec.jwtRules.${i}.jwksUri`, `spec.jwtRules[${i}].jwksUri "${j.jwksUri}" is not a valid http(s) URL`);
  });
  return r.diagnostics;
}
