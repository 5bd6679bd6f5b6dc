/** Worker thread entry of the side after the change of a parallel diff (see diff-side.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { runDiffSide, type DiffSideTask } from './diff-side.js';

const port = parentPort;
if (port !== null) {
  runDiffSide(workerData as DiffSideTask, port).catch((e: unknown) => {
    port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  });
}
