import type { FlowJwt } from '../../model/flow.js';
import type { MeshRequestAuthentication } from '../../model/mesh.js';

/** What request authentication made of a request at one proxy. */
export type JwtOutcome =
  /** No RequestAuthentication applies, or none applies and no token: no request principal. */
  | { readonly kind: 'none' }
  /** A RequestAuthentication applies and the request has no token: allowed through, no request principal. */
  | { readonly kind: 'missing'; readonly policies: readonly string[] }
  | { readonly kind: 'validated'; readonly policy: string; readonly jwt: FlowJwt }
  /** 401: the token is invalid, or no applicable RequestAuthentication accepts its issuer. */
  | { readonly kind: 'rejected'; readonly policy: string; readonly why: 'invalid-token' | 'issuer-not-accepted'; readonly issuer: string };

/**
 * Request authentication at a sidecar or waypoint (istio/istio:pilot/pkg/security/authn/policy_applier.go
 * `JwtFilter`/`convertToEnvoyJwtConfig`: every jwtRule becomes a provider, required as `requires_any` of the
 * providers plus `allow_missing`). A request without a token passes; a token that fails validation, or
 * whose issuer no applicable rule names, is rejected with 401. Without any RequestAuthentication the
 * token is not looked at. Tokens are read from the `Authorization` header only (custom `fromHeaders` are not
 * modelled).
 */
export function authenticateRequest(ras: readonly MeshRequestAuthentication[], token: FlowJwt | undefined): JwtOutcome {
  if (ras.length === 0) return { kind: 'none' };
  if (!token) return { kind: 'missing', policies: ras.map((r) => r.key) };
  const first = ras[0] as MeshRequestAuthentication;
  if (token.invalid === true) return { kind: 'rejected', policy: first.key, why: 'invalid-token', issuer: token.iss };
  const accepting = ras.find((ra) => ra.jwtRules.some((rule) => rule.issuer === token.iss && audienceAccepted(rule.audiences, token)));
  if (!accepting) return { kind: 'rejected', policy: first.key, why: 'issuer-not-accepted', issuer: token.iss };
  return { kind: 'validated', policy: accepting.key, jwt: token };
}

/** jwtRules.audiences: when set, the token's `aud` (string or list) must contain one of them. */
function audienceAccepted(audiences: readonly string[] | undefined, token: FlowJwt): boolean {
  if (!audiences || audiences.length === 0) return true;
  const aud = token.claims['aud'];
  const list = Array.isArray(aud) ? aud.map(String) : typeof aud === 'string' ? [aud] : [];
  return list.some((a) => audiences.includes(a));
}
