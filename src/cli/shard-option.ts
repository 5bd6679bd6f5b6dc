import type { ShardSpec } from '../model/shard.js';
import { UsageError } from './exit.js';

/** The most shards a run can be split into. */
export const MAX_SHARDS = 65_536;

/** `--shard k/n`: the k-th of n shards, 1 <= k <= n. */
export function parseShard(value: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new UsageError(`--shard takes k/n with 1 <= k <= n <= ${MAX_SHARDS} (the k-th of n shards), got ${JSON.stringify(value)}`);
  }
  return { index, count };
}
