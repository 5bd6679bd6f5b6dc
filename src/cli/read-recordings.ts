import { forEachRecordedFlow, type RecordingWatcher } from '../files/recordings.js';
import type { MeshIndex, RecordedTrafficInput } from '../index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import { ProgressBar } from './progress.js';

/** A progress bar per capture on a terminal, nothing otherwise; `pace` passes through. */
export function progressWatcher(pace?: () => Promise<void> | undefined): RecordingWatcher {
  const bars = new Map<string, ProgressBar>();
  const bar = (file: string): ProgressBar => {
    let b = bars.get(file);
    if (!b) bars.set(file, (b = new ProgressBar(`reading ${file}`)));
    return b;
  };
  return {
    ...(pace ? { pace } : {}),
    ...(ProgressBar.enabled() ? { onProgress: (file: string, bytes: number, size: number) => bar(file).update(bytes, size), onDone: (file: string) => bars.get(file)?.done() } : {}),
  };
}

/** Reads every `--trace` capture and `--flow-log` file into memory (for reports that sort or join flows). */
export async function readRecordings(traces: readonly string[], flowLogs: readonly string[], index: MeshIndex, diagnostics: Diagnostic[]): Promise<RecordedTrafficInput> {
  const flows: Flow[] = [];
  const held = await forEachRecordedFlow({ traces, flowLogs }, index, diagnostics, (f) => flows.push(f), progressWatcher());
  return { ...held, flows };
}
