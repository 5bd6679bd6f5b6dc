import { readCaptureFile, readFlowLogFile } from '../files/recordings.js';
import { listensAt, type MeshIndex, type RecordedTrafficInput } from '../index.js';
import type { CaptureSummary, FlowLogSummary } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import { ProgressBar } from './progress.js';

/**
 * Reads `--trace` captures (with a progress bar on a terminal) and `--flow-log` files, handing each
 * flow to `onFlow` as it becomes known; problems are added to `diagnostics`. `pace` is awaited after
 * each chunk of a capture (backpressure from whoever consumes the flows).
 */
export async function forEachRecordedFlow(
  files: { readonly traces: readonly string[]; readonly flowLogs: readonly string[] }, index: MeshIndex, diagnostics: Diagnostic[],
  onFlow: (flow: Flow) => void, pace?: () => Promise<void> | undefined,
): Promise<Omit<RecordedTrafficInput, 'flows'>> {
  const captures: CaptureSummary[] = [];
  const logs: FlowLogSummary[] = [];
  for (const file of files.traces) {
    const bar = ProgressBar.enabled() ? new ProgressBar(`reading ${file}`) : undefined;
    const r = await readCaptureFile(file, { isServer: listensAt(index), ...(pace ? { pace } : {}), ...(bar ? { onProgress: (b: number, t: number) => bar.update(b, t) } : {}) }, onFlow);
    bar?.done();
    if (r.summary) captures.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  for (const file of files.flowLogs) {
    const r = await readFlowLogFile(file);
    r.flows.forEach(onFlow);
    if (r.summary) logs.push(r.summary);
    diagnostics.push(...r.diagnostics);
  }
  return { captures, flowLogs: logs };
}

/** Reads every capture and flow log into memory (for reports that sort or join flows). */
export async function readRecordings(traces: readonly string[], flowLogs: readonly string[], index: MeshIndex, diagnostics: Diagnostic[]): Promise<RecordedTrafficInput> {
  const flows: Flow[] = [];
  const held = await forEachRecordedFlow({ traces, flowLogs }, index, diagnostics, (f) => flows.push(f));
  return { ...held, flows };
}
