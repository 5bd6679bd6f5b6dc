import type { CaptureSummary } from '../../model/capture.js';
import type { Flow } from '../../model/flow.js';
import { CaptureFlowExtractor, type CaptureFlowOptions } from './capture-flows.js';
import { CaptureReader } from './capture-reader.js';

export interface ReadCaptureOptions extends CaptureFlowOptions {
  /** Called after each chunk with the bytes read so far. */
  readonly onProgress?: (bytes: number) => void;
  /** Awaited after each chunk: lets a slow consumer of the flows hold the reading back. */
  readonly pace?: () => Promise<void> | undefined;
}

function summarize(options: CaptureFlowOptions, reader: CaptureReader, flows: CaptureFlowExtractor): CaptureSummary {
  const duration = Number.isNaN(flows.firstTime) ? 0 : flows.lastTime - flows.firstTime;
  return { file: options.name, reader: reader.stats, packets: flows.packets, connections: flows.connections, problems: reader.problems, durationSeconds: duration };
}

/**
 * Reads a pcap or pcapng stream chunk by chunk and emits its flows as they become known. Memory stays
 * bounded by the largest record and the flow table, whatever the size of the capture.
 */
export async function readCapture(chunks: AsyncIterable<Uint8Array>, options: ReadCaptureOptions, onFlow: (flow: Flow) => void): Promise<CaptureSummary> {
  const flows = new CaptureFlowExtractor(options, onFlow);
  const reader = new CaptureReader((p) => flows.packet(p));
  for await (const chunk of chunks) {
    reader.push(chunk);
    options.onProgress?.(reader.stats.bytes);
    if (reader.stopped) break;
    await options.pace?.();
  }
  reader.finish();
  flows.finish();
  return summarize(options, reader, flows);
}

/** The same over bytes already in memory; returns the flows with the summary. */
export function readCaptureBytes(bytes: Uint8Array, options: CaptureFlowOptions): { flows: Flow[]; summary: CaptureSummary } {
  const out: Flow[] = [];
  const flows = new CaptureFlowExtractor(options, (f) => out.push(f));
  const reader = new CaptureReader((p) => flows.packet(p));
  reader.push(bytes);
  reader.finish();
  flows.finish();
  return { flows: out, summary: summarize(options, reader, flows) };
}
