import type { MeshConfig } from '../model/cluster.js';
import type { WaypointAuthorization, ZtunnelAuthorization } from '../model/mesh.js';
import type { AuthorizationDecision, ConnectionAttributes, RequestAttributes } from './authz/types.js';
import { authorizeAtWaypoint, compileWaypointAuthorization, type CompiledWaypointPolicy } from './authz/waypoint-rbac.js';
import { authorizeAtZtunnel, compileZtunnelAuthorization, type CompiledZtunnelPolicy } from './authz/ztunnel-rbac.js';

/** The enforcement points' entry points, as the router and simulator use them. */
export type { CompiledWaypointPolicy, CompiledZtunnelPolicy };

export function compileZtunnelPolicy(p: ZtunnelAuthorization): CompiledZtunnelPolicy {
  return compileZtunnelAuthorization(p);
}

export function compileWaypointPolicy(p: WaypointAuthorization): CompiledWaypointPolicy {
  return compileWaypointAuthorization(p);
}

/** The destination ztunnel's decision (`assert_rbac`). */
export function decideAtZtunnel(policies: readonly CompiledZtunnelPolicy[], conn: ConnectionAttributes, explain = false): AuthorizationDecision {
  return authorizeAtZtunnel(policies, conn, { explain });
}

/** The waypoint's decision (Envoy RBAC over targetRefs policies). */
export function decideAtWaypoint(policies: readonly CompiledWaypointPolicy[], req: RequestAttributes, mesh: MeshConfig, explain = false): AuthorizationDecision {
  return authorizeAtWaypoint(policies, req, mesh, { explain });
}
