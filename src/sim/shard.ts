import type { Flow } from '../model/flow.js';
import type { ShardSpec } from '../model/shard.js';
import { fnv1a } from '../match/stable-address.js';

/**
 * The pair of endpoints a flow is sharded by: its source (workload name, else address) and its
 * destination (Service, else workload, else address), without the port. Every flow between the same
 * two endpoints falls in one shard, so a connection's requests and the tunnels a source opens to
 * that destination are counted by one shard.
 */
export function shardKey(flow: Flow): string {
  const s = flow.source;
  const d = flow.destination;
  return `${s.workload ?? s.ip}\u0000${d.service ?? d.workload ?? d.ip}`;
}

/** The shard of a flow among `count` (1 .. count): a stable hash of its pair of endpoints. */
export function shardOf(flow: Flow, count: number): number {
  return count <= 1 ? 1 : (fnv1a(shardKey(flow)) % count) + 1;
}

/** True when `flow` belongs to the shard `spec` names. */
export function inShard(flow: Flow, spec: ShardSpec): boolean {
  return shardOf(flow, spec.count) === spec.index;
}
