/**
 * `simulate --jobs n`: this thread reads the traffic (flows file, generated flows, captures, flow
 * logs: diagnostics and capture accounting are its own), hands the flows in batches to n worker
 * threads in turn, each of which decides them through the same run path as one thread does and
 * encodes their `-o jsonl` lines, and writes the batches back in the order they were read. Every
 * pooled HBONE request is replayed here through one set of pools, in input order, so tunnels opened
 * count as on one thread; the rest of the summary adds up. The output is the one `--jobs 1` writes.
 */
import type { Worker } from 'node:worker_threads';
import type { MeshIndex } from '../index.js';
import type { AddressPlacement } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { ComponentState } from '../sim/component-state.js';
import { joinAddresses, joinSummaries } from '../sim/merge-shards.js';
import type { FlowsFileCounts } from './flows-input.js';
import { isRecorded, readTraffic, type JsonLinesBatch, type RunOptions, type RunTail, type TrafficInputs } from './run-simulation.js';
import type { SimulationJobMessage, SimulationJobRequest, SimulationJobTask } from './simulation-job.js';
import { startWorker } from './worker-thread.js';

/** Flows handed to a job at once. */
const SHARE = 1024;
/** Batches each job may hold (sent, not yet written) before this thread waits. */
const AHEAD = 4;

/** A parallel run: its lines as one thread would write them, then its tail. */
export interface ParallelSimulation {
  readonly jsonLines: AsyncIterable<JsonLinesBatch>;
  /** Call once `jsonLines` is done. */
  tail(): RunTail;
}

type Lines = Extract<SimulationJobMessage, { type: 'lines' }>;
type Tail = Extract<SimulationJobMessage, { type: 'tail' }>;

/** One job's thread and what it has sent back that is not yet written. */
class Job {
  private readonly done: Lines[] = [];
  tail: Tail | undefined;
  private failure: string | undefined;
  private wake: (() => void) | undefined;

  constructor(readonly worker: Worker, readonly name: string) {
    worker.on('message', (m: SimulationJobMessage) => this.receive(m));
    worker.on('error', (e: Error) => this.fail(e.message));
    worker.on('exit', (code) => {
      if (this.tail === undefined) this.fail(`stopped (exit code ${code})`);
    });
  }

  send(request: SimulationJobRequest): void {
    this.worker.postMessage(request);
  }

  /** The next batch's lines, in the order the batches were sent. */
  async next(): Promise<Lines> {
    return this.until(() => this.done.shift());
  }

  async finished(): Promise<Tail> {
    return this.until(() => this.tail);
  }

  private async until<T>(take: () => T | undefined): Promise<T> {
    for (;;) {
      const got = take();
      if (got !== undefined) return got;
      if (this.failure !== undefined) throw new Error(`simulation job ${this.name} failed: ${this.failure}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private receive(m: SimulationJobMessage): void {
    if (m.type === 'lines') this.done.push(m);
    else if (m.type === 'tail') this.tail = m;
    else this.fail(m.message);
    this.wake?.();
  }

  private fail(message: string): void {
    this.failure ??= message;
    this.wake?.();
  }
}

/** Starts `jobs` threads and reads `inputs` here; problems of the inputs go to this run's diagnostics. */
export function runParallelSimulation(
  index: MeshIndex, inputs: TrafficInputs, task: Omit<SimulationJobTask, 'recorded'>, jobs: number, options: Pick<RunOptions, 'diagnostics' | 'watcher'> = {},
): ParallelSimulation {
  const diagnostics: Diagnostic[] = [...index.mesh.diagnostics, ...(options.diagnostics ?? [])];
  const counts: FlowsFileCounts | undefined = inputs.flows !== undefined ? { entries: 0, dropped: 0, flows: 0 } : undefined;
  const recorded = isRecorded(inputs);
  const reading = readTraffic(index, inputs, options, diagnostics, counts);
  const all: Job[] = [];
  for (let k = 1; k <= jobs; k++) all.push(new Job(startWorker('simulation-job-worker', { ...task, recorded } satisfies SimulationJobTask), `${k} of ${jobs}`));
  const pools = new Pools(jobs);
  let tail: RunTail | undefined;

  async function* jsonLines(): AsyncGenerator<JsonLinesBatch> {
    let sent = 0;
    let written = 0;
    const write = async (): Promise<JsonLinesBatch> => {
      const from = written++ % jobs;
      const lines = await (all[from] as Job).next();
      pools.use(from, lines.tunnels);
      return { text: '', bytes: lines.bytes, denied: lines.denied, plaintext: lines.plaintext };
    };
    try {
      for await (const batch of reading.batches) {
        for (let start = 0; start < batch.length; start += SHARE) {
          (all[sent++ % jobs] as Job).send({ type: 'flows', json: JSON.stringify(batch.slice(start, start + SHARE)) });
          if (sent - written >= jobs * AHEAD) yield await write();
        }
      }
      for (const job of all) job.send({ type: 'end' });
      while (written < sent) yield await write();
      const tails: Tail[] = [];
      for (const job of all) tails.push(await job.finished());
      const held = reading.held();
      const opened = pools.opened();
      tail = {
        summary: joinSummaries(tails.map((t) => t.summary), (key) => opened.get(key) ?? 0), diagnostics,
        ...(recorded ? { capture: { captures: held.captures, flowLogs: held.flowLogs, addresses: joinAddresses(tails.map((t) => t.addresses as AddressPlacement)) } } : {}),
        ...(counts ? { flowsFile: counts } : {}),
      };
    } finally {
      await Promise.all(all.map((j) => j.worker.terminate()));
    }
  }

  return {
    jsonLines: jsonLines(),
    tail: () => {
      if (tail === undefined) throw new Error('the parallel run is not done: take every line first');
      return tail;
    },
  };
}

/**
 * The components' HBONE pools, fed every pooled request of every job in input order: the same pools
 * one thread keeps, so tunnels opened (a pool that fills up empties and opens again) count the same.
 */
class Pools {
  private readonly byName = new Map<string, number>();
  private readonly names: string[] = [];
  /** Per job, its numbers of names to these. */
  private readonly numbers: number[][];
  /** By the number of a component's name. */
  private readonly components: (ComponentState | undefined)[] = [];

  constructor(jobs: number) {
    this.numbers = Array.from({ length: jobs }, () => []);
  }

  /** A batch's requests from `job` (JsonLinesBatch `tunnels`). */
  use(job: number, tunnels: { readonly log: Int32Array; readonly names: readonly string[] }): void {
    const numbers = this.numbers[job] as number[];
    for (const name of tunnels.names) numbers.push(this.number(name));
    const log = tunnels.log;
    for (let i = 0; i < log.length;) {
      const count = log[i++] as number;
      for (let k = 0; k < count; k++, i += 4) {
        const component = numbers[log[i] as number] as number;
        const pool = (this.components[component] ??= this.component(this.names[component] as string));
        pool.useTunnel(numbers[log[i + 1] as number] as number, numbers[log[i + 2] as number] as number, numbers[log[i + 3] as number] as number);
      }
    }
  }

  opened(): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.components) if (c !== undefined) out.set(`${c.kind}/${c.name}`, c.tunnelsOpened);
    return out;
  }

  private number(name: string): number {
    let n = this.byName.get(name);
    if (n === undefined) {
      this.byName.set(name, (n = this.names.length));
      this.names.push(name);
    }
    return n;
  }

  private component(key: string): ComponentState {
    const slash = key.indexOf('/');
    return new ComponentState(key.slice(0, slash) as 'ztunnel' | 'waypoint', key.slice(slash + 1));
  }
}
