import type { Flow } from '../model/flow.js';
import type { FlowResult, ResultOrigin } from '../model/result.js';

/**
 * Adds what a recording says about a flow to its result: application TLS (kept apart from mesh
 * encryption) and where the flow came from. Flows from flows files and the CLI are returned as is.
 */
export function withRecordedFacts(flow: Flow, result: FlowResult): FlowResult {
  const o = flow.origin;
  const recorded = o !== undefined && (o.kind === 'capture' || o.kind === 'flow-log');
  if (!recorded && flow.appTls === undefined) return result;
  const origin: ResultOrigin | undefined = recorded
    ? {
        kind: o.kind as ResultOrigin['kind'],
        ...(o.source ? { file: o.source.file } : {}),
        ...(o.packet !== undefined ? { packet: o.packet } : {}),
        ...(o.kind === 'flow-log' && o.source ? { line: o.source.line } : {}),
        ...(o.note ? { note: o.note } : {}),
      }
    : undefined;
  // Built field by field in the contract's order: object spread is slow on this hot path.
  const out: { -readonly [K in keyof FlowResult]: FlowResult[K] } = {
    id: result.id, source: result.source, destination: result.destination, verdict: result.verdict, encrypted: result.encrypted,
    decidedBy: result.decidedBy, policy: result.policy, rule: result.rule, reason: result.reason, hops: result.hops, steps: result.steps,
  };
  if (flow.appTls) out.appTls = flow.appTls;
  if (origin) out.origin = origin;
  return out;
}
