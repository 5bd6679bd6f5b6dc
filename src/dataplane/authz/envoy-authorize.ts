import type { MeshConfig } from '../../model/cluster.js';
import type { MeshRequestAuthentication } from '../../model/mesh.js';
import { authenticateRequest } from '../authn/request-authentication.js';
import type { SidecarMtls } from '../authn/peer-authentication-mode.js';
import type { AuthorizationDecision, RequestAttributes } from './types.js';
import { authorizeAtWaypoint, type CompiledWaypointPolicy } from './waypoint-rbac.js';

/** What an Envoy (sidecar or waypoint) applies before and around its RBAC filters. */
export interface EnvoyContext {
  /** Sidecars: the inbound port's PeerAuthentication mode. Waypoints take HBONE only and have none. */
  readonly mtls?: SidecarMtls;
  readonly requestAuthentications: readonly MeshRequestAuthentication[];
  /** istiod's PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS (see custom-action.ts). */
  readonly multipleCustomProviders?: boolean;
  readonly explain?: boolean;
}

/**
 * One Envoy inbound decision in filter order: the TLS handshake (STRICT refuses plaintext;
 * istio/istio:pilot/pkg/security/authn/policy_applier.go `InboundMTLSSettings`), the jwt_authn filter
 * (401 for a bad token, see `authenticateRequest`), then RBAC (CUSTOM, DENY, ALLOW;
 * pilot/pkg/security/authz/builder/builder.go) evaluated by {@link authorizeAtWaypoint}.
 */
export function authorizeAtEnvoy(
  policies: readonly CompiledWaypointPolicy[], req: RequestAttributes, mesh: Pick<MeshConfig, 'trustDomain' | 'trustDomainAliases' | 'extAuthzProviders'>, ctx: EnvoyContext,
): AuthorizationDecision {
  if (ctx.mtls?.mode === 'STRICT' && req.srcIdentity === null) {
    return { verdict: 'deny', reason: 'strict-mtls-plaintext-denied', policy: ctx.mtls.policy, rule: null, evaluations: [] };
  }
  // The jwt_authn filter exists on HTTP chains only (TCP ports have no request to read a token from).
  const jwt = req.http ? authenticateRequest(ctx.requestAuthentications, req.token) : { kind: 'none' as const };
  if (jwt.kind === 'rejected') {
    return {
      verdict: 'deny', reason: 'jwt-rejected', policy: jwt.policy, rule: null, evaluations: [],
      facts: [], detail: { why: jwt.why, issuer: jwt.issuer },
    };
  }
  const validated = jwt.kind === 'validated' ? { ...req, jwt: { iss: jwt.jwt.iss, sub: jwt.jwt.sub, claims: jwt.jwt.claims } } : req;
  const facts = jwt.kind === 'validated'
    ? [{ code: 'jwt-validated' as const, policy: jwt.policy, detail: { issuer: jwt.jwt.iss, principal: `${jwt.jwt.iss}/${jwt.jwt.sub}` } }]
    : [];
  const decision = authorizeAtWaypoint(policies, validated, mesh, { explain: ctx.explain === true, multipleCustomProviders: ctx.multipleCustomProviders === true });
  return facts.length > 0 ? { ...decision, facts } : decision;
}
