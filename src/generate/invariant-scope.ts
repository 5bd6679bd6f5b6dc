import { expectContextFromIndex } from '../analysis/expect/expect-context.js';
import { unknownReferences } from '../analysis/expect/unknown-references.js';
import type { MeshIndex } from '../dataplane/mesh-index.js';
import { resolveDestination, resolveSource } from '../dataplane/route/endpoints.js';
import type { UnknownReference } from '../model/expectation.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import { focusesService, focusesWorkload, type Focus } from './focus.js';

/** The parts of an invariant (`invariants.ts`) that name things and scope a predicate. */
type Scoped =
  | { readonly kind: 'noPlaintextInto'; readonly namespace: string }
  | { readonly kind: 'onlyReachable'; readonly to: string; readonly from: readonly string[] }
  | { readonly kind: 'noChangeUnder' }
  | { readonly kind: 'predicate'; readonly focus?: Focus; readonly when?: (flow: Flow, result: FlowResult) => boolean };

/**
 * The names an invariant uses that the mesh does not have: the namespace of `noPlaintextInto`, the
 * `to` and `from` of `onlyReachable` (as the scenario expectations of the same name check them), and
 * each focus reference of a custom predicate (`ns/*` a namespace where a workload or Service lives,
 * `ns/name` a Service, pod or controller).
 */
export function invariantUnknowns(inv: Scoped, index: MeshIndex): UnknownReference[] {
  const context = expectContextFromIndex(index);
  if (inv.kind === 'noPlaintextInto') return unknownReferences({ namespace: inv.namespace }, context);
  if (inv.kind === 'onlyReachable') return unknownReferences({ to: inv.to, from: inv.from }, context);
  if (inv.kind !== 'predicate' || inv.focus === undefined) return [];
  const names = context.names;
  const known = (ref: string) => names === undefined
    || (ref.endsWith('/*') ? names.hasNamespace(ref.slice(0, -2)) : names.hasService(ref) || names.hasWorkload(ref));
  return [
    ...(inv.focus.sources ?? []).filter((r) => !known(r)).map((ref): UnknownReference => ({ field: 'focus.sources', ref })),
    ...(inv.focus.destinations ?? []).filter((r) => !known(r)).map((ref): UnknownReference => ({ field: 'focus.destinations', ref })),
  ];
}

/**
 * Whether a flow exercises a custom predicate: its `when` holds for the flow and its result (when
 * given), its source is one the focus names (when `focus.sources` is given) and its destination one
 * the focus names (when `focus.destinations` is given: the Service it calls, or the pod it reaches
 * by IP). A predicate with neither `when` nor focus is exercised by every flow. Built-in invariants
 * are always exercised: their names are checked instead.
 */
export function exercises(inv: Scoped, flow: Flow, result: FlowResult, index: MeshIndex): boolean {
  if (inv.kind !== 'predicate') return true;
  if (inv.when !== undefined && !meetsWhen(inv.when, flow, result)) return false;
  return inv.focus === undefined || inFocus(inv.focus, flow, index);
}

function inFocus(focus: Focus, flow: Flow, index: MeshIndex): boolean {
  const sources = focus.sources ?? [];
  const destinations = focus.destinations ?? [];
  if (sources.length > 0) {
    const src = resolveSource(flow.source, index);
    if (src.kind !== 'workload' || !focusesWorkload(sources, src.workload, index)) return false;
  }
  if (destinations.length === 0) return true;
  const dst = resolveDestination(flow, index);
  if (dst.kind === 'service') return focusesService(destinations, dst.service);
  return dst.kind === 'workload' && focusesWorkload(destinations, dst.workload, index);
}

/** Whether a flow meets a predicate's precondition; a `when` that throws is not met. */
export function meetsWhen(when: (flow: Flow, result: FlowResult) => boolean, flow: Flow, result: FlowResult): boolean {
  try {
    return when(flow, result) === true;
  } catch {
    return false;
  }
}
