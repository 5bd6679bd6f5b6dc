/** Worker thread entry of one job of a parallel `simulate` (see simulation-job.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { runSimulationJob, type SimulationJobTask } from './simulation-job.js';

const port = parentPort;
if (port !== null) {
  runSimulationJob(workerData as SimulationJobTask, port).catch((e: unknown) => {
    port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  });
}
