/**
 * One job of a parallel `simulate` (`--jobs n`), run in a worker thread: it loads the manifests the
 * main thread read, then decides the batches of flows the main thread sends it, in order, through
 * the one run path (runSimulation, fed those flows), and sends back each batch's `-o jsonl` lines as
 * UTF-8 with the pooled HBONE requests of every line; at the end, its summary and address counts.
 */
import type { MessagePort } from 'node:worker_threads';
import { loadManifests, prepareMesh, type ManifestInput } from '../index.js';
import type { AddressPlacement } from '../model/capture.js';
import type { IstiodEnv } from '../model/cluster.js';
import type { Flow } from '../model/flow.js';
import type { Summary } from '../model/result.js';
import { runSimulation } from './run-simulation.js';

/** What the main thread hands a job. */
export interface SimulationJobTask {
  readonly inputs: readonly ManifestInput[];
  readonly istiodEnv?: IstiodEnv;
  readonly undoDnat: boolean;
  /** The flows are recorded traffic (the run has captures or flow logs): replayed as such. */
  readonly recorded: boolean;
}

/** From the main thread: a batch of flows to decide, or the end of them. */
export type SimulationJobRequest = { readonly type: 'flows'; readonly json: string } | { readonly type: 'end' };

/** Messages from a job, one `lines` per batch in the order the batches came, then `tail`. */
export type SimulationJobMessage =
  | { readonly type: 'lines'; readonly bytes: Uint8Array; readonly denied: number; readonly plaintext: number; readonly tunnels: { readonly log: Int32Array; readonly names: readonly string[] } }
  | { readonly type: 'tail'; readonly summary: Summary; readonly addresses?: AddressPlacement }
  | { readonly type: 'failed'; readonly message: string };

export async function runSimulationJob(task: SimulationJobTask, port: MessagePort): Promise<void> {
  const loaded = loadManifests(task.inputs, task.istiodEnv ? { istiodEnv: task.istiodEnv } : {});
  const index = prepareMesh(loaded.cluster);
  const run = runSimulation(index, {}, { undoDnat: task.undoDnat, timeOrder: false, logTunnels: true, share: { flows: requests(port), recorded: task.recorded } });
  const encoder = new TextEncoder();
  for await (const batch of run.jsonLines) {
    const bytes = encoder.encode(batch.text);
    const tunnels = batch.tunnels ?? { log: new Int32Array(0), names: [] };
    port.postMessage({ type: 'lines', bytes, denied: batch.denied, plaintext: batch.plaintext, tunnels } satisfies SimulationJobMessage, [bytes.buffer as ArrayBuffer, tunnels.log.buffer as ArrayBuffer]);
  }
  const tail = run.tail();
  port.postMessage({ type: 'tail', summary: tail.summary, ...(tail.capture ? { addresses: tail.capture.addresses } : {}) } satisfies SimulationJobMessage);
}

/** The batches the main thread sends, as they come. */
async function* requests(port: MessagePort): AsyncGenerator<Flow[]> {
  const queue: SimulationJobRequest[] = [];
  let wake: (() => void) | undefined;
  port.on('message', (m: SimulationJobRequest) => {
    queue.push(m);
    wake?.();
  });
  for (;;) {
    const m = queue.shift();
    if (m === undefined) {
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      continue;
    }
    if (m.type === 'end') return;
    // Flows cross as JSON: they are plain data (no undefined member matters), and JSON crosses faster than a structured clone.
    yield JSON.parse(m.json) as Flow[];
  }
}
