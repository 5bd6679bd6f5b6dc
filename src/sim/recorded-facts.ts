import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import { recordedOrigin } from '../dataplane/recorded-origin.js';

/**
 * Adds what a recording says about a flow to its result: application TLS (kept apart from mesh
 * encryption) and where the flow came from. Flows from flows files and the CLI are returned as is.
 */
export function withRecordedFacts(flow: Flow, result: FlowResult): FlowResult {
  const origin = recordedOrigin(flow);
  if (origin === undefined && flow.appTls === undefined) return result;
  // Built field by field in the contract's order: object spread is slow on this hot path.
  const out: { -readonly [K in keyof FlowResult]: FlowResult[K] } = {
    id: result.id, source: result.source, destination: result.destination, verdict: result.verdict, encrypted: result.encrypted,
    decidedBy: result.decidedBy, policy: result.policy, rule: result.rule, reason: result.reason, hops: result.hops, steps: result.steps,
  };
  if (flow.appTls) out.appTls = flow.appTls;
  if (origin) out.origin = origin;
  return out;
}
