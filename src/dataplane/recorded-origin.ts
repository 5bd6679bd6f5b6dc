import type { Flow } from '../model/flow.js';
import type { ResultOrigin } from '../model/result.js';

/**
 * Where a recorded flow came from, as its result says (DESIGN.md "JSON output": `origin`): the
 * capture or flow log, the packet that opened the connection, a flow log's line, and how the flow was
 * inferred. Undefined for flows that were not recorded (flows files, generated flows, the CLI).
 */
export function recordedOrigin(flow: Flow): ResultOrigin | undefined {
  const o = flow.origin;
  if (o === undefined || (o.kind !== 'capture' && o.kind !== 'flow-log')) return undefined;
  return {
    kind: o.kind,
    ...(o.source ? { file: o.source.file } : {}),
    ...(o.packet !== undefined ? { packet: o.packet } : {}),
    ...(o.kind === 'flow-log' && o.source ? { line: o.source.line } : {}),
    ...(o.note ? { note: o.note } : {}),
  };
}
