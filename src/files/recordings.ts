/**
 * Reads recorded traffic from disk: packet captures, streamed in chunks so memory stays flat, and flow
 * logs. Problems become diagnostics with the file and byte offset.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileProblem, unreadable } from '../files.js';
import { listensAt, type MeshIndex, type RecordedTrafficInput } from '../index.js';
import { readCapture } from '../load/capture/read-capture.js';
import { isHubbleRecord } from '../load/flow-log/hubble-flow.js';
import { HubbleLog } from '../load/flow-log/hubble-log.js';
import { lineTooLong } from '../load/flows/flow-lines.js';
import { LineSplitter } from '../load/flows/text-lines.js';
import { fileChunks } from './file-chunks.js';
import { readFlowsInput } from './flows-input.js';
import type { CaptureSummary, FlowLogSummary } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';

export { fileChunks } from './file-chunks.js';

export interface CaptureFileOptions {
  /** True when the manifests say a server listens on ip:port (for connections without a SYN). */
  readonly isServer?: (ip: string, port: number) => boolean;
  /** Called as the file is read, with bytes read and the file's size. */
  readonly onProgress?: (bytes: number, size: number) => void;
  /** Awaited after each chunk (backpressure from whoever consumes the flows). */
  readonly pace?: () => Promise<void> | undefined;
}

/** Streams one capture file into flows; flows go to `onFlow` as they become known. */
export async function readCaptureFile(path: string, options: CaptureFileOptions, onFlow: (flow: Flow) => void): Promise<{ summary?: CaptureSummary; diagnostics: Diagnostic[] }> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { diagnostics: [unreadable(path, 'is a directory, not a capture file')] };
    size = info.size;
  } catch (e) {
    return { diagnostics: [unreadable(path, fileProblem(e))] };
  }
  try {
    const summary = await readCapture(fileChunks(path), {
      name: basename(path),
      ...(options.isServer ? { isServer: options.isServer } : {}),
      ...(options.onProgress ? { onProgress: (bytes: number) => options.onProgress?.(bytes, size) } : {}),
      ...(options.pace ? { pace: options.pace } : {}),
    }, onFlow);
    return { summary: { ...summary, file: path }, diagnostics: captureDiagnostics(path, summary) };
  } catch (e) {
    return { diagnostics: [unreadable(path, (e as Error).message)] };
  }
}

/** A capture's problems as diagnostics; a file nothing could be read from is unreadable input. */
function captureDiagnostics(path: string, summary: CaptureSummary): Diagnostic[] {
  const nothingRead = summary.reader.packets === 0;
  return summary.problems.map((p) => ({
    severity: p.severity,
    code: p.severity === 'error' && nothingRead ? 'unreadable-input' : p.code,
    file: path,
    offset: p.offset,
    message: `${path}: byte ${p.offset}: ${p.message}`,
  }));
}

/**
 * Streams one flow log (JSONL flows, or a Hubble export read in two passes) into flows in line order;
 * `pace` is awaited after each chunk, so whoever consumes the flows sets the speed.
 */
export async function streamFlowLogFile(path: string, diagnostics: Diagnostic[], onFlow: (flow: Flow) => void, pace: () => Promise<void> | undefined = () => undefined): Promise<FlowLogSummary | undefined> {
  let hubble: boolean;
  try {
    hubble = await isHubbleExport(path);
  } catch (e) {
    diagnostics.push(unreadable(path, fileProblem(e)));
    return undefined;
  }
  if (hubble) return streamHubble(path, diagnostics, onFlow, pace);
  const counts = { entries: 0, dropped: 0, flows: 0 };
  for await (const batch of readFlowsInput({ file: path, kind: 'flow-log' }, diagnostics, counts)) {
    for (const flow of batch) onFlow(flow);
    await pace();
  }
  return { file: path, format: 'flows', records: counts.flows, flows: counts.flows, skipped: {} };
}

/** True when the first non-blank line of the file is a Hubble record. */
async function isHubbleExport(path: string): Promise<boolean> {
  for await (const chunk of fileChunks(path)) {
    const text = new TextDecoder().decode(chunk);
    const first = text.split('\n').find((l) => l.trim() !== '');
    if (first === undefined) continue;
    try {
      return isHubbleRecord(JSON.parse(first));
    } catch {
      return false;
    }
  }
  return false;
}

async function streamHubble(path: string, diagnostics: Diagnostic[], onFlow: (flow: Flow) => void, pace: () => Promise<void> | undefined): Promise<FlowLogSummary | undefined> {
  const log = new HubbleLog(path, diagnostics);
  try {
    // A line over the length limit ends both passes there (reported once, by the first).
    const scan = new LineSplitter({ line: (raw, n) => log.scan(raw, n), tooLong: (n) => diagnostics.push(lineTooLong(path, n)) });
    for await (const chunk of fileChunks(path)) {
      scan.push(chunk);
      if (scan.stopped) break;
    }
    scan.end();
    log.endScan();
    const emit = new LineSplitter({ line: (raw, n) => {
      const flow = log.flowAt(raw, n);
      if (flow) onFlow(flow);
    }, tooLong: () => undefined });
    for await (const chunk of fileChunks(path)) {
      emit.push(chunk);
      if (emit.stopped) break;
      await pace();
    }
    emit.end();
  } catch (e) {
    diagnostics.push(unreadable(path, fileProblem(e)));
    return undefined;
  }
  return log.summary();
}

/** How a caller follows the reading of each capture (a progress bar, for one). */
export interface RecordingWatcher {
  readonly onProgress?: (file: string, bytes: number, size: number) => void;
  readonly onDone?: (file: string) => void;
  /** Awaited after each chunk of a capture (backpressure from whoever consumes the flows). */
  readonly pace?: () => Promise<void> | undefined;
}

/**
 * Reads captures and flow logs, handing each flow to `onFlow` as it becomes known; problems are added
 * to `diagnostics`. Connections without a SYN take their server from what the manifests say listens.
 */
export async function forEachRecordedFlow(
  files: { readonly traces: readonly string[]; readonly flowLogs: readonly string[] }, index: MeshIndex, diagnostics: Diagnostic[],
  onFlow: (flow: Flow) => void, watcher: RecordingWatcher = {},
): Promise<Omit<RecordedTrafficInput, 'flows'>> {
  const captures: CaptureSummary[] = [];
  const logs: FlowLogSummary[] = [];
  const isServer = listensAt(index);
  for (const file of files.traces) {
    const r = await readCaptureFile(file, {
      isServer, ...(watcher.pace ? { pace: watcher.pace } : {}),
      ...(watcher.onProgress ? { onProgress: (b: number, t: number) => watcher.onProgress?.(file, b, t) } : {}),
    }, onFlow);
    watcher.onDone?.(file);
    if (r.summary) captures.push(r.summary);
    for (const d of r.diagnostics) diagnostics.push(d);
  }
  for (const file of files.flowLogs) {
    const summary = await streamFlowLogFile(file, diagnostics, onFlow, watcher.pace);
    if (summary) logs.push(summary);
  }
  return { captures, flowLogs: logs };
}
