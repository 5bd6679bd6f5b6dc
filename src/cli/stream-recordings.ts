import { once } from 'node:events';
import { readCaptureFile, readFlowLogFile } from '../files/recordings.js';
import { listensAt, RecordedReplay, type MeshIndex } from '../index.js';
import type { CaptureSummary, FlowLogSummary } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { ProgressBar } from './progress.js';

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
  const onFlow = (flow: Parameters<RecordedReplay['replay']>[0]): void => {
    const r = replay.replay(flow);
    stats.flows++;
    if (r.verdict === 'deny') stats.denied++;
    else if (!r.encrypted) stats.plaintext++;
    emit(`${JSON.stringify(r)}\n`);
  };
  const pace = (): Promise<void> | undefined => (out.writableNeedDrain ? once(out, 'drain').then(() => undefined) : undefined);
  const captures: CaptureSummary[] = [];
  const logs: FlowLogSummary[] = [];
  for (const file of traces) {
    const bar = ProgressBar.enabled() ? new ProgressBar(`reading ${file}`) : undefined;
    const r = await readCaptureFile(file, { isServer: listensAt(index), pace, ...(bar ? { onProgress: (b: number, t: number) => bar.update(b, t) } : {}) }, onFlow);
    bar?.done();
    if (r.summary) captures.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  for (const file of flowLogs) {
    const r = await readFlowLogFile(file);
    r.flows.forEach(onFlow);
    if (r.summary) logs.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  const tail = replay.finish({ captures, flowLogs: logs });
  emit(`${JSON.stringify({ schemaVersion: 1, summary: tail.summary, diagnostics: [...index.mesh.diagnostics, ...diagnostics], capture: tail.capture })}\n`);
  flush();
  return stats;
}
