import type { FlowLogSummary } from '../../model/capture.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import { parseFlows } from '../flows/parse-flows.js';
import { isHubbleRecord } from './hubble-flow.js';
import { HubbleLog } from './hubble-log.js';

export interface ParsedFlowLog {
  readonly flows: Flow[];
  readonly diagnostics: Diagnostic[];
  readonly summary: FlowLogSummary;
}

/**
 * Parses a flow log: JSONL in the flows-file format, or a Hubble export (`hubble observe -o json`).
 * For Hubble, each HTTP request is a flow, and each TCP connection or UDP conversation without one is
 * a flow; times become seconds from the first record. Every record is either part of a flow or
 * counted as skipped, with the reason.
 */
export function parseFlowLog(text: string, file: string): ParsedFlowLog {
  const first = text.split('\n').find((l) => l.trim() !== '');
  let probe: unknown;
  try {
    probe = first ? JSON.parse(first) : undefined;
  } catch {
    probe = undefined;
  }
  if (!isHubbleRecord(probe)) {
    const parsed = parseFlows(text, file);
    const flows = parsed.flows.map((f) => ({ ...f, origin: { ...f.origin, kind: 'flow-log' as const } }));
    return { flows, diagnostics: parsed.diagnostics, summary: { file, format: 'flows', records: flows.length, flows: flows.length, skipped: {} } };
  }
  return parseHubble(text, file);
}

function parseHubble(text: string, file: string): ParsedFlowLog {
  const diagnostics: Diagnostic[] = [];
  const log = new HubbleLog(file, diagnostics);
  const lines = text.split('\n');
  lines.forEach((raw, i) => log.scan(raw, i + 1));
  log.endScan();
  const flows: Flow[] = [];
  lines.forEach((raw, i) => {
    const flow = log.flowAt(raw, i + 1);
    if (flow) flows.push(flow);
  });
  return { flows, diagnostics, summary: log.summary() };
}
