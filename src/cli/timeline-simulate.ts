import { jsonLinesStream, jsonStream, textStream, type ReportStream } from '../files/run-simulation.js';
import { readTimelineFile } from '../files/timeline-file.js';
import { escapeText, placeRecordedFlows, renderLoadText, renderPhasesText, simulateTimeline, type MeshIndex, type TimelineReport } from '../index.js';
import type { Cluster } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { FlowResult } from '../model/result.js';
import { EXIT_CONDITION, EXIT_OK, EXIT_USAGE } from './exit.js';
import { hasUnreadableInput, reportUnreadableInput, terminalStyle } from './options.js';
import { PacedOutput } from './paced-output.js';
import { readTraffic, type TrafficOptions } from './traffic.js';

/** What `simulate --timeline` needs from the command line and the manifests already read. */
export interface TimelineRunInput {
  readonly timeline: string;
  readonly traffic: TrafficOptions & { readonly undoDnat?: boolean };
  readonly format: 'text' | 'json' | 'jsonl';
  readonly failOn: ReadonlySet<'deny' | 'plaintext'>;
  readonly cluster: Cluster;
  readonly index: MeshIndex;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * `simulate --timeline FILE`: every flow is held and run through the timeline in time order (the
 * discrete-event simulation), then written with its time, phase and closing, and a `phases` section.
 * A timeline file that does not read whole exits 2 with each error's file:line on stderr.
 */
export async function runTimelineSimulate(input: TimelineRunInput): Promise<number> {
  const read = await readTimelineFile(input.timeline, input.cluster.istiodEnv);
  const errors = read.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    process.stderr.write(`${errors.map((d) => `ambient-bench: ${escapeText(d.message)}`).join('\n')}\nambient-bench: the timeline file ${escapeText(input.timeline)} has errors (exit 2)\n`);
    return EXIT_USAGE;
  }
  const diagnostics: Diagnostic[] = [];
  const traffic = await readTraffic(input.traffic, input.index, diagnostics);
  const placed = traffic.recorded ? placeRecordedFlows(input.index, traffic.recorded.flows, { undoDnat: input.traffic.undoDnat === true }).flows : [];
  const report = simulateTimeline(input.cluster, [...traffic.flows, ...placed], read.timeline);
  const all = [...input.diagnostics, ...read.diagnostics, ...diagnostics, ...report.diagnostics];
  await write(report, all, input.format);
  if (hasUnreadableInput(all)) {
    reportUnreadableInput(all, input.format === 'text');
    return EXIT_USAGE;
  }
  const denied = report.results.some((r) => r.verdict === 'deny');
  const plaintext = report.results.some((r) => r.verdict === 'allow' && !r.encrypted);
  return (input.failOn.has('deny') && denied) || (input.failOn.has('plaintext') && plaintext) ? EXIT_CONDITION : EXIT_OK;
}

/** Writes the report a result at a time, waiting for stdout between batches (a whole report at once would double its memory). */
async function write(report: TimelineReport, diagnostics: readonly Diagnostic[], format: TimelineRunInput['format']): Promise<void> {
  const style = terminalStyle(process.stdout);
  const stream: ReportStream = format === 'json' ? jsonStream() : format === 'jsonl' ? jsonLinesStream() : textStream(style);
  const out = new PacedOutput();
  out.write(stream.head());
  for (let i = 0; i < report.results.length; i++) {
    out.write(stream.result(report.results[i] as FlowResult));
    if (i % 256 === 255) await out.written();
  }
  const extra = { phases: report.phases, timelineNotes: report.notes, componentLoad: report.load };
  out.write(stream.tail({ schemaVersion: 1, diagnostics, summary: report.summary }, format === 'text' ? {} : extra));
  const phases = format === 'text' ? renderPhasesText(report.phases, style) : [];
  if (phases.length > 0) out.write(`\n${phases.join('\n')}\n`);
  const load = format === 'text' ? renderLoadText(report.load, style) : [];
  if (load.length > 0) out.write(`\n${load.join('\n')}\n`);
  out.flush();
}
