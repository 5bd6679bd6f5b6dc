/** One of `count` shards of a run (`--shard index/count`), index from 1. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/**
 * The `shard` section of a shard's `-o jsonl` summary line: which shard it is, the configuration it
 * ran (a digest of the mesh, so `merge` can refuse reports of different configurations), and the
 * HBONE tunnels each component's pool opened (identity, from, to, each by a name that is the same in
 * every compilation of the mesh: CompiledMesh `stableEndName`), so that a merge counts a tunnel two
 * shards both opened once.
 */
export interface ShardSection extends ShardSpec {
  readonly meshDigest: string;
  /** Flows of the whole input the shard read (every shard reads every input); the shard decided its part. */
  readonly flowsRead: number;
  /** Per component (`kind/name`), the pooled tunnels as `identity from to` strings, sorted. */
  readonly tunnels: Readonly<Record<string, readonly string[]>>;
  /** Components whose pool reached its capacity and was emptied: their tunnels could only be summed. */
  readonly poolsOverflowed: readonly string[];
}
