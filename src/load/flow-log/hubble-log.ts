import type { FlowLogSummary } from '../../model/capture.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import { hubbleRecord, type HubbleRecord } from './hubble-flow.js';
import { parserMessage } from '../excerpt.js';

interface Connection {
  readonly line: number;
  requests: number;
  readonly recorded: boolean;
}

/**
 * A Hubble export read in two passes over its lines, so that flows stream out in line order with
 * memory for one entry per connection only. The first pass (`scan`) counts records and skips, finds
 * the first record's time and which connections have HTTP requests; the second (`flowAt`) turns
 * each request, and the first record of each connection without one, into a flow.
 */
export class HubbleLog {
  private readonly connections = new Map<string, Connection>();
  private readonly skipped: Record<string, number> = {};
  private records = 0;
  private flows = 0;
  private start = Infinity;

  constructor(private readonly file: string, private readonly diagnostics: Diagnostic[]) {}

  /** First pass, one line. */
  scan(raw: string, line: number): void {
    if (raw.trim() === '') return;
    this.records++;
    const r = this.record(raw, line, true);
    if (r === undefined) return this.skip('not JSON');
    if (r.kind === 'skip') return this.skip(r.reason);
    if (r.flow.time > 0) this.start = Math.min(this.start, r.flow.time);
    const known = this.connections.get(r.key);
    if (r.kind === 'connection') {
      if (known) return this.skip('more events of a known connection');
      this.connections.set(r.key, { line, requests: 0, recorded: true });
      return;
    }
    const conn = known ?? { line, requests: 0, recorded: false };
    this.connections.set(r.key, conn);
    conn.requests++;
  }

  /** Ends the first pass: connection events whose requests are flows are counted as skipped. */
  endScan(): void {
    for (const c of this.connections.values()) if (c.requests > 0 && c.recorded) this.skip('connection event of a connection whose HTTP requests are flows');
  }

  /** Second pass, one line: the flow it starts, if any. */
  flowAt(raw: string, line: number): Flow | undefined {
    if (raw.trim() === '') return undefined;
    const r = this.record(raw, line, false);
    if (r === undefined || r.kind === 'skip') return undefined;
    if (r.kind === 'connection') {
      const c = this.connections.get(r.key);
      if (!c || c.line !== line || c.requests > 0) return undefined;
    }
    this.flows++;
    // Times become seconds from the first record, rounded to the microsecond Hubble timestamps carry.
    const time = Number.isFinite(this.start) ? Math.max(0, Math.round((r.flow.time - this.start) * 1e6) / 1e6) : r.flow.time;
    return { ...r.flow, time, id: `${this.file}:${line}`, origin: { ...r.flow.origin, kind: 'flow-log', source: { file: this.file, document: 0, line } } };
  }

  summary(): FlowLogSummary {
    return { file: this.file, format: 'hubble', records: this.records, flows: this.flows, skipped: { ...this.skipped } };
  }

  private record(raw: string, line: number, report: boolean): HubbleRecord | undefined {
    try {
      return hubbleRecord(JSON.parse(raw));
    } catch (e) {
      if (report) this.diagnostics.push({ severity: 'error', code: 'json-syntax', file: this.file, line, message: `${this.file}:${line}: not JSON: ${parserMessage((e as Error).message)}` });
      return undefined;
    }
  }

  private skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }
}
