import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { UsageError } from './exit.js';

/** The most worker threads `--jobs` starts. */
export const MAX_JOBS = 64;
/**
 * Below this much traffic (bytes of flows files, captures and flow logs) one thread is faster: each
 * job loads the manifests and compiles the mesh itself before it decides anything.
 */
export const PARALLEL_BYTES = 32 * 1024 * 1024;
/**
 * Fewer cores than this run one thread unless `--jobs` says otherwise: the reading thread, and every
 * job's own loading of the manifests, take what a second core gives (bench:e2e measured 0.98× at
 * 1,000,000 flows and bench:ingest 0.77× with two jobs on two cores).
 */
export const MIN_DEFAULT_CORES = 4;
/** Generated flows from which the default is parallel. */
export const PARALLEL_GENERATED = 200_000;

interface JobOptions {
  jobs?: string;
  flows?: string;
  trace?: string[];
  flowLog?: string[];
  generate?: string;
  coverage?: boolean;
  metrics?: string;
  filename?: string[];
}

/**
 * How many threads a `simulate` runs: `--jobs n` as given (only `-o jsonl` runs on more than one:
 * its lines are joined in input order; text and JSON list captured flows in time order), else the
 * machine's cores when it has at least MIN_DEFAULT_CORES and the traffic is large enough to repay each
 * job's own loading of the manifests.
 * Standard input, `--coverage`, `--metrics`, `--shard` and `--timeline` (`other`) run on one thread.
 */
export async function jobCount(opts: JobOptions, format: string, other?: string): Promise<number> {
  const stdin = opts.flows === '-' || (opts.filename ?? []).some((f) => f.split(',').includes('-'));
  const blocker = format !== 'jsonl' ? `-o ${format}` : stdin ? 'standard input' : opts.coverage ? '--coverage' : opts.metrics !== undefined ? '--metrics' : other;
  if (opts.jobs !== undefined) {
    const n = Number(opts.jobs);
    if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new UsageError(`--jobs takes a number of threads from 1 to ${MAX_JOBS}, got ${JSON.stringify(opts.jobs)}`);
    if (n > 1 && blocker !== undefined) throw new UsageError(`--jobs ${n} runs -o jsonl only, and neither with standard input, --coverage, --metrics, --shard nor --timeline (here: ${blocker}); use --jobs 1`);
    return n;
  }
  if (blocker !== undefined) return 1;
  const cores = Math.min(MAX_JOBS, availableParallelism());
  if (cores < MIN_DEFAULT_CORES) return 1;
  if (opts.generate !== undefined && Number(opts.generate) >= PARALLEL_GENERATED) return cores;
  return (await trafficBytes(opts)) >= PARALLEL_BYTES ? cores : 1;
}

async function trafficBytes(opts: JobOptions): Promise<number> {
  let total = 0;
  for (const file of [...(opts.flows !== undefined ? [opts.flows] : []), ...(opts.trace ?? []), ...(opts.flowLog ?? [])]) {
    try {
      total += (await stat(file)).size;
    } catch {
      // Unreadable: the run reports it.
    }
  }
  return total;
}
