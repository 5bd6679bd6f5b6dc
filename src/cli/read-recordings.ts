import { readCaptureFile, readFlowLogFile } from '../files/recordings.js';
import { listensAt, type MeshIndex, type RecordedTrafficInput } from '../index.js';
import type { CaptureSummary, FlowLogSummary } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import { ProgressBar } from './progress.js';

/**
 * Reads `--trace` captures (with a progress bar on a terminal) and `--flow-log` files; their problems
 * are added to `diagnostics`.
 */
export async function readRecordings(traces: readonly string[], flowLogs: readonly string[], index: MeshIndex, diagnostics: Diagnostic[]): Promise<RecordedTrafficInput> {
  const flows: Flow[] = [];
  const captures: CaptureSummary[] = [];
  const logs: FlowLogSummary[] = [];
  for (const file of traces) {
    const bar = ProgressBar.enabled() ? new ProgressBar(`reading ${file}`) : undefined;
    const r = await readCaptureFile(file, { isServer: listensAt(index), ...(bar ? { onProgress: (b: number, t: number) => bar.update(b, t) } : {}) }, (f) => flows.push(f));
    bar?.done();
    if (r.summary) captures.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  for (const file of flowLogs) {
    const r = await readFlowLogFile(file);
    flows.push(...r.flows);
    if (r.summary) logs.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  return { flows, captures, flowLogs: logs };
}
