/**
 * `simulate --jobs n`: n worker threads each run one shard of the traffic (by pair of endpoints,
 * sim/shard.ts) through the same run path as one thread does, and this thread joins their `-o jsonl`
 * lines in the order of their `seq` (each flow's place in the input) and their tails as `merge` joins
 * shard reports: the output is the one `--jobs 1` writes, line for line, summary included.
 */
import type { Worker } from 'node:worker_threads';
import { mergeTails, type NamedTail } from '../sim/merge-shards.js';
import { ComponentState } from '../sim/component-state.js';
import type { JsonLinesBatch, RunTail } from './run-simulation.js';
import { AHEAD, type SimulationJobMessage, type SimulationJobTask } from './simulation-job.js';
import { startWorker } from './worker-thread.js';

const SEQ_PREFIX = '{"seq":';
const OUT_LINES = 4096;

/** A parallel run: its lines as one thread would write them, then its tail. */
export interface ParallelSimulation {
  readonly jsonLines: AsyncIterable<JsonLinesBatch>;
  /** Call once `jsonLines` is done. */
  tail(): RunTail & { readonly notes: readonly string[] };
}

/** One job's thread and what it has sent that is not yet written. */
class Job {
  lines: string[] = [];
  /** Per line, its flow's pooled HBONE requests (RunOptions `logTunnels`). */
  tunnels: readonly string[] = [];
  at = 0;
  tail: RunTail | undefined;
  failure: string | undefined;
  wake: (() => void) | undefined;
  denied = 0;
  plaintext = 0;
  private readonly batches: { lines: string[]; tunnels: readonly string[] }[] = [];

  constructor(readonly worker: Worker, readonly name: string) {
    worker.on('message', (m: SimulationJobMessage) => this.receive(m));
    worker.on('error', (e: Error) => this.fail(e.message));
    worker.on('exit', (code) => {
      if (this.tail === undefined) this.fail(`stopped (exit code ${code})`);
    });
  }

  /** The next line and its seq, waiting for the job; undefined once the job has sent every line. */
  async head(): Promise<string | undefined> {
    for (;;) {
      if (this.at < this.lines.length) return this.lines[this.at];
      const next = this.batches.shift();
      if (next !== undefined) {
        this.lines = next.lines;
        this.tunnels = next.tunnels;
        this.at = 0;
        // One batch taken: the job may send another.
        this.worker.postMessage('more');
        continue;
      }
      if (this.failure !== undefined) throw new Error(`simulation job ${this.name} failed: ${this.failure}`);
      if (this.tail !== undefined) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private receive(m: SimulationJobMessage): void {
    if (m.type === 'lines') {
      const lines = m.text.split('\n');
      lines.pop();
      this.batches.push({ lines, tunnels: m.tunnels });
      this.denied += m.denied;
      this.plaintext += m.plaintext;
    } else if (m.type === 'tail') this.tail = m.tail;
    else this.fail(m.message);
    this.wake?.();
  }

  private fail(message: string): void {
    this.failure ??= message;
    this.wake?.();
  }
}

/** Starts `jobs` threads on `task`, shard k of `jobs` each. */
export function runParallelSimulation(task: Omit<SimulationJobTask, 'shard'>, jobs: number): ParallelSimulation {
  const all: Job[] = [];
  for (let k = 1; k <= jobs; k++) all.push(new Job(startWorker('simulation-job-worker', { ...task, shard: { index: k, count: jobs } } satisfies SimulationJobTask), `${k} of ${jobs}`));
  let merged: (RunTail & { notes: readonly string[] }) | undefined;
  const pools = new Pools();

  async function* jsonLines(): AsyncGenerator<JsonLinesBatch> {
    const seqs = new Float64Array(all.length);
    const heads: (string | undefined)[] = [];
    for (let i = 0; i < all.length; i++) {
      heads[i] = await (all[i] as Job).head();
      seqs[i] = heads[i] === undefined ? Infinity : seqOf(heads[i] as string);
    }
    let text = '';
    let lines = 0;
    let denied = 0;
    let plaintext = 0;
    try {
      for (;;) {
        let pick = 0;
        for (let i = 1; i < all.length; i++) if ((seqs[i] as number) < (seqs[pick] as number)) pick = i;
        if (seqs[pick] === Infinity) break;
        const line = heads[pick] as string;
        text += `{${line.slice(line.indexOf(',', SEQ_PREFIX.length) + 1)}\n`;
        const job = all[pick] as Job;
        const used = job.tunnels[job.at];
        if (used) pools.use(used);
        job.at++;
        heads[pick] = await job.head();
        seqs[pick] = heads[pick] === undefined ? Infinity : seqOf(heads[pick] as string);
        if (++lines === OUT_LINES) {
          yield { text, denied: 0, plaintext: 0 };
          text = '';
          lines = 0;
        }
      }
      for (const job of all) {
        denied += job.denied;
        plaintext += job.plaintext;
      }
      yield { text, denied, plaintext };
      merged = mergedTail(all, pools.opened());
    } finally {
      await Promise.all(all.map((j) => j.worker.terminate()));
    }
  }

  return {
    jsonLines: jsonLines(),
    tail: () => {
      if (merged === undefined) throw new Error('the parallel run is not done: take every line first');
      return merged;
    },
  };
}

function mergedTail(jobs: readonly Job[], tunnelsOpened: ReadonlyMap<string, number>): RunTail & { notes: readonly string[] } {
  const tails = jobs.map((j) => j.tail as RunTail);
  const named: NamedTail[] = tails.map((t, i) => ({
    file: `job ${i + 1}`,
    tail: { schemaVersion: 1, summary: t.summary, diagnostics: t.diagnostics, ...(t.capture ? { capture: t.capture } : {}), ...(t.shard ? { shard: t.shard } : {}) },
  }));
  const m = mergeTails(named, tunnelsOpened);
  const first = tails[0] as RunTail;
  return {
    summary: m.tail.summary, diagnostics: [...m.tail.diagnostics], ...(m.tail.capture ? { capture: m.tail.capture } : {}),
    ...(first.flowsFile ? { flowsFile: first.flowsFile } : {}), notes: m.notes,
  };
}

/**
 * The components' HBONE pools, fed every pooled request of every job in input order: the same pools
 * one thread keeps, so tunnels opened (a pool that fills up empties and opens again) count the same.
 */
class Pools {
  private readonly byKey = new Map<string, ComponentState>();

  /** A line's requests: `kind/name`, identity, from, to joined by NUL; requests joined by U+0001. */
  use(requests: string): void {
    for (const request of requests.split('\u0001')) {
      const [key, identity, from, to] = request.split('\u0000') as [string, string, string, string];
      let pool = this.byKey.get(key);
      if (pool === undefined) {
        const slash = key.indexOf('/');
        this.byKey.set(key, (pool = new ComponentState(key.slice(0, slash) as 'ztunnel' | 'waypoint', key.slice(slash + 1))));
      }
      pool.useTunnel(identity, from, to);
    }
  }

  opened(): Map<string, number> {
    return new Map([...this.byKey].map(([key, c]) => [key, c.tunnelsOpened]));
  }
}

function seqOf(line: string): number {
  return Number(line.slice(SEQ_PREFIX.length, line.indexOf(',', SEQ_PREFIX.length)));
}
