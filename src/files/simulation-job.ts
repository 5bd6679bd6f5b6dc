/**
 * One job of a parallel `simulate` (`--jobs n`), run in a worker thread: it loads the manifests the
 * main thread read, then runs shard k of n of the traffic through the one run path
 * (runSimulation), and sends its `-o jsonl` lines (each starting with its `seq`) in batches, a few
 * ahead of what the main thread has written, then its tail.
 */
import type { MessagePort } from 'node:worker_threads';
import { loadManifests, prepareMesh, type ManifestInput } from '../index.js';
import type { IstiodEnv } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ShardSpec } from '../model/shard.js';
import { runSimulation, type RunTail, type TrafficInputs } from './run-simulation.js';

/** What the main thread hands a job. */
export interface SimulationJobTask {
  readonly inputs: readonly ManifestInput[];
  readonly istiodEnv?: IstiodEnv;
  /** Problems found reading the manifest files (before loading). */
  readonly readDiagnostics: readonly Diagnostic[];
  readonly traffic: Omit<TrafficInputs, 'stdin'>;
  readonly undoDnat: boolean;
  readonly shard: ShardSpec;
}

/** Messages from a job, in the order it sends them. */
export type SimulationJobMessage =
  | { readonly type: 'lines'; readonly text: string; readonly denied: number; readonly plaintext: number; readonly tunnels: readonly string[] }
  | { readonly type: 'tail'; readonly tail: RunTail }
  | { readonly type: 'failed'; readonly message: string };

/** Batches a job sends before it waits for the main thread to take one. */
export const AHEAD = 4;

export async function runSimulationJob(task: SimulationJobTask, port: MessagePort): Promise<void> {
  const loaded = loadManifests(task.inputs, task.istiodEnv ? { istiodEnv: task.istiodEnv } : {});
  const index = prepareMesh(loaded.cluster);
  const run = runSimulation(index, task.traffic, {
    undoDnat: task.undoDnat, timeOrder: false, diagnostics: [...task.readDiagnostics, ...loaded.diagnostics], shard: task.shard, logTunnels: true,
  });
  let ahead = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    ahead--;
    wake?.();
  });
  for await (const batch of run.jsonLines) {
    port.postMessage({ type: 'lines', text: batch.text, denied: batch.denied, plaintext: batch.plaintext, tunnels: batch.tunnels ?? [] } satisfies SimulationJobMessage);
    ahead++;
    while (ahead >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  }
  port.postMessage({ type: 'tail', tail: run.tail() } satisfies SimulationJobMessage);
}
