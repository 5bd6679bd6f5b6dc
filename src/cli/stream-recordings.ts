import { once } from 'node:events';
import { RecordedReplay, type MeshIndex } from '../index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import { forEachRecordedFlow } from '../files/recordings.js';
import { progressWatcher } from './read-recordings.js';

const FLUSH_BYTES = 256 * 1024;

/**
 * `simulate --trace/--flow-log -o jsonl`: each flow is replayed and its result line written as the
 * capture is read, in the order flows become known (a request when its head is read, a connection
 * without requests when it closes); the summary line with the capture section comes last. Nothing is
 * kept per flow, and reading waits while stdout drains, so memory stays flat.
 */
export async function streamRecordings(traces: readonly string[], flowLogs: readonly string[], index: MeshIndex, undoDnat: boolean, diagnostics: Diagnostic[]): Promise<{ flows: number; denied: number; plaintext: number }> {
  const replay = new RecordedReplay(index, { undoDnat });
  const out = process.stdout;
  let pending: string[] = [];
  let size = 0;
  const stats = { flows: 0, denied: 0, plaintext: 0 };
  const flush = (): void => {
    if (pending.length > 0) out.write(pending.join(''));
    pending = [];
    size = 0;
  };
  const emit = (line: string): void => {
    pending.push(line);
    size += line.length;
    if (size >= FLUSH_BYTES) flush();
  };
  const onFlow = (flow: Flow): void => {
    const r = replay.replay(flow);
    stats.flows++;
    if (r.verdict === 'deny') stats.denied++;
    else if (!r.encrypted) stats.plaintext++;
    emit(`${JSON.stringify(r)}\n`);
  };
  const pace = (): Promise<void> | undefined => (out.writableNeedDrain ? once(out, 'drain').then(() => undefined) : undefined);
  const held = await forEachRecordedFlow({ traces, flowLogs }, index, diagnostics, onFlow, progressWatcher(pace));
  const tail = replay.finish(held);
  emit(`${JSON.stringify({ schemaVersion: 1, summary: tail.summary, diagnostics: [...index.mesh.diagnostics, ...diagnostics], capture: tail.capture })}\n`);
  flush();
  return stats;
}
