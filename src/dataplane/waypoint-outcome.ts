import { requestToken } from './authn/bearer-token.js';
import { authorizeAtEnvoy } from './authz/envoy-authorize.js';
import { multipleCustomProviders } from './authz/custom-action.js';
import type { CompiledMesh, EnvoyPoint } from './compiled-mesh.js';
import type { CheckpointOutcome } from '../model/decision.js';
import type { Flow } from '../model/flow.js';
import type { Waypoint } from '../model/mesh.js';
import type { WorkloadRecord } from './records.js';

/** What a waypoint sees of a connection besides the peer: the client's address, and the address and port it was sent to. */
export interface Seen {
  readonly srcIp: string;
  readonly dstIp: string;
  readonly port: number;
}

/**
 * The waypoint's Envoy RBAC outcome (envoy-authorize.ts) for what it sees: the client's identity and
 * address, the address and port the flow was sent to, and the request. Memoised by identity class
 * when the chain's policies read only identity, port and request line.
 */
export function waypointOutcome(compiled: CompiledMesh, flow: Flow, wp: Waypoint, service: string | null, source: WorkloadRecord, seen: Seen): CheckpointOutcome {
  const point = compiled.envoyPoint(wp.key, service);
  const http = flow.protocol === 'http' ? flow.http : undefined;
  // Ports outside 0-65535 would collide in the (class, port) key: such flows are not memoised.
  if (flow.l7Unknown !== undefined || !(Number.isInteger(seen.port) && seen.port >= 0 && seen.port <= 65535)) return envoyOutcome(compiled, point, flow, source, seen);
  compiled.admitMemo(point);
  const key = compiled.identityClass(point, source.identity, source.identityName) * 65536 + seen.port;
  if (http === undefined) {
    if (point.tcpMemo === null) return envoyOutcome(compiled, point, flow, source, seen);
    let outcome = point.tcpMemo.get(key);
    if (outcome === undefined) {
      point.tcpMemo.set(key, (outcome = envoyOutcome(compiled, point, flow, source, seen)));
      point.memoised++;
    }
    return outcome;
  }
  if (point.memo === null) return envoyOutcome(compiled, point, flow, source, seen);
  // Headers count only through the host they give (waypoint-rbac.ts `operationFailure`): a memoised
  // chain reads no `when` condition and no request principal, and has no RequestAuthentication.
  const byPath = child(child(point.memo, key), http.method);
  let hosts = byPath.get(http.path);
  if (hosts === undefined) byPath.set(http.path, (hosts = new HostOutcomes()));
  const host = http.host ?? http.headers['host'];
  let outcome = host === undefined ? hosts.none : hosts.byHost.get(host);
  if (outcome === undefined) {
    outcome = envoyOutcome(compiled, point, flow, source, seen);
    if (host === undefined) hosts.none = outcome;
    else hosts.byHost.set(host, outcome);
    point.memoised++;
  }
  return outcome;
}

function envoyOutcome(compiled: CompiledMesh, point: EnvoyPoint, flow: Flow, source: WorkloadRecord, seen: Seen): CheckpointOutcome {
  const http = flow.protocol === 'http' ? flow.http : undefined;
  const d = authorizeAtEnvoy(point.policies, {
    srcIdentity: source.identityName, srcIp: seen.srcIp, dstIp: seen.dstIp, dstPort: seen.port, http, l7Unknown: flow.l7Unknown, token: http ? requestToken(flow) : undefined,
  }, compiled.index.mesh.meshConfig, { requestAuthentications: point.requestAuthentications, multipleCustomProviders: multipleCustomProviders(compiled.index.mesh.istiodEnv), explain: false });
  // Shared outcome objects: decisions are kept per outcome, so a fresh object per flow would grow them.
  return compiled.decisions.outcome(d.verdict, d.reason, d.policy, d.rule);
}

/** A waypoint's memoised outcomes for one request line, by host; `none` for a request without one. */
class HostOutcomes {
  none: CheckpointOutcome | undefined = undefined;
  readonly byHost = new Map<string, CheckpointOutcome>();
}

/** The map under `key`, created the first time. */
function child<K, C extends Map<unknown, unknown>>(map: Map<K, C>, key: K): C {
  let c = map.get(key);
  if (c === undefined) map.set(key, (c = new Map() as C));
  return c;
}
