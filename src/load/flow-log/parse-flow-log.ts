import type { FlowLogSummary } from '../../model/capture.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import { parseFlows } from '../flows/parse-flows.js';
import { hubbleRecord, isHubbleRecord } from './hubble-flow.js';

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
  const skipped: Record<string, number> = {};
  const skip = (reason: string): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const connections = new Map<string, { flow: Omit<Flow, 'id'>; line: number; requests: number; recorded: boolean }>();
  const flows: Array<{ flow: Flow; order: number }> = [];
  let records = 0;
  let start = Infinity;
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    records++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      diagnostics.push({ severity: 'error', code: 'json-syntax', file, line: i + 1, message: `${file}:${i + 1}: not JSON: ${(e as Error).message}` });
      return skip('not JSON');
    }
    const r = hubbleRecord(value);
    if (r.kind === 'skip') return skip(r.reason);
    if (r.flow.time > 0) start = Math.min(start, r.flow.time);
    const known = connections.get(r.key);
    if (r.kind === 'connection') {
      if (known) return skip('more events of a known connection');
      connections.set(r.key, { flow: r.flow, line: i + 1, requests: 0, recorded: true });
      return;
    }
    const conn = known ?? { flow: r.flow, line: i + 1, requests: 0, recorded: false };
    connections.set(r.key, conn);
    conn.requests++;
    flows.push({ flow: { ...r.flow, id: `${file}:${i + 1}`, origin: { ...r.flow.origin, kind: 'flow-log', source: { file, document: 0, line: i + 1 } } }, order: i + 1 });
  });
  for (const c of connections.values()) {
    if (c.requests === 0) flows.push({ flow: { ...c.flow, id: `${file}:${c.line}`, origin: { ...c.flow.origin, kind: 'flow-log', source: { file, document: 0, line: c.line } } }, order: c.line });
    else if (c.recorded) skip('connection event of a connection whose HTTP requests are flows');
  }
  flows.sort((a, b) => a.order - b.order);
  // Times become seconds from the first record, rounded to the microsecond Hubble timestamps carry.
  const out = flows.map(({ flow }) => (Number.isFinite(start) ? { ...flow, time: Math.max(0, Math.round((flow.time - start) * 1e6) / 1e6) } : flow));
  return { flows: out, diagnostics, summary: { file, format: 'hubble', records, flows: out.length, skipped } };
}
