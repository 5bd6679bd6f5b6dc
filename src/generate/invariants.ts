import { diffResults } from '../analysis/diff/diff-results.js';
import { evaluateExpectations } from '../analysis/expect/evaluate-expectations.js';
import { expectContextFromIndex, type ExpectContext } from '../analysis/expect/expect-context.js';
import { Simulator } from '../sim/simulator.js';
import { indexMesh, type MeshIndex } from '../dataplane/mesh-index.js';
import { resolveMesh } from '../istiod/resolve-mesh.js';
import { applyWhatIf } from '../analysis/what-if/apply-what-if.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import type { ChangeCounts, Expectation, WhatIfStep } from '../model/scenario.js';
import type { Focus } from './focus.js';
import { exercises, meetsWhen } from './invariant-scope.js';
import { indexOf, isMeshIndex, type MeshTarget } from './mesh-target.js';

/** A property every flow over a mesh must have. Build one with the constructors below. */
export type Invariant =
  | { readonly kind: 'noPlaintextInto'; readonly name: string; readonly namespace: string }
  | { readonly kind: 'onlyReachable'; readonly name: string; readonly to: string; readonly from: readonly string[] }
  | { readonly kind: 'noChangeUnder'; readonly name: string; readonly steps: readonly WhatIfStep[]; readonly counts: 'none' | Partial<ChangeCounts> }
  | { readonly kind: 'predicate'; readonly name: string; readonly holds: FlowPredicate; readonly focus?: Focus; readonly when?: FlowCondition };

/** `true` when the flow is fine; `false`, or a string saying what is wrong, when it breaks the invariant. */
export type FlowPredicate = (flow: Flow, result: FlowResult) => boolean | string;

/** Whether a flow is one a custom invariant is about (its precondition). */
export type FlowCondition = (flow: Flow, result: FlowResult) => boolean;

/** What a custom invariant is about: the sources and destinations it names (its focus), and its precondition `when`. */
export interface PredicateScope extends Focus {
  readonly when?: FlowCondition;
}

/** No allowed flow reaches a workload of `namespace` over a plaintext hop (the scenario expectation of the same name). */
export function noPlaintextInto(namespace: string): Invariant {
  return { kind: 'noPlaintextInto', name: `noPlaintextInto(${namespace})`, namespace };
}

/** No source but those in `from` (`ns/workload` or `ns/*`) is allowed to reach `to` (a Service or workload). */
export function onlyReachable(spec: { readonly to: string; readonly from: readonly string[] }): Invariant {
  return { kind: 'onlyReachable', name: `onlyReachable(${spec.to} from ${spec.from.join(', ') || 'nobody'})`, to: spec.to, from: spec.from };
}

/** The what-if steps change no flow's verdict or encryption (`counts: 'none'`), or exactly the given counts. */
export function noChangeUnder(steps: readonly WhatIfStep[], counts: 'none' | Partial<ChangeCounts> = 'none'): Invariant {
  return { kind: 'noChangeUnder', name: `noChangeUnder(${steps.map((s) => s.kind).join(', ')})`, steps, counts };
}

/**
 * A custom invariant: `holds(flow, result)` for every flow that meets `scope.when` (its
 * precondition; every flow without one). `scope` also names the sources and destinations it is
 * about (flows lean toward them); a check in which no generated flow meets both the precondition and
 * the focus (`exercises`) fails as never exercised rather than holding vacuously.
 */
export function invariant(name: string, holds: FlowPredicate, scope?: PredicateScope): Invariant {
  const { when, ...focus } = scope ?? {};
  const named = focus.sources !== undefined || focus.destinations !== undefined;
  return { kind: 'predicate', name, holds, ...(named ? { focus } : {}), ...(when ? { when } : {}) };
}

/** The invariant a scenario expectation states (`noPlaintextInto`, `onlyReachable`, `changes`); undefined for a per-flow one. */
export function invariantOf(e: Expectation, steps: readonly WhatIfStep[]): Invariant | undefined {
  if (e.kind === 'noPlaintextInto') return noPlaintextInto(e.namespace);
  if (e.kind === 'onlyReachable') return onlyReachable({ to: e.to, from: e.from });
  if (e.kind === 'changes') return noChangeUnder(steps, e.counts);
  return undefined;
}

/** How one flow breaks an invariant. */
export interface Violation {
  readonly result: FlowResult;
  readonly before?: FlowResult;
  readonly message?: string;
}

/** An invariant ready to judge flows over one configuration. */
export interface InvariantJudge {
  /** The mesh the verdicts are about (after the what-if, if any). */
  readonly index: MeshIndex;
  /** The mesh flows are generated over (before the what-if, if any). */
  readonly baseIndex: MeshIndex;
  judge(flow: Flow): Violation | undefined;
  /** How many of the flows judged so far exercised the invariant (`exercises`). */
  exercisedFlows(): number;
}

const WHERE = { file: '<invariant>', document: 0, line: 0 };

/** Prepares an invariant over a target; a `noChangeUnder` invariant needs a Cluster (its steps edit manifests). */
export function judgeOf(inv: Invariant, target: MeshTarget): InvariantJudge {
  const baseIndex = indexOf(target);
  if (inv.kind === 'noChangeUnder') {
    if (isMeshIndex(target)) throw new Error(`${inv.name} needs a Cluster, not a prepared mesh: what-if steps edit manifests`);
    const index = indexMesh(resolveMesh(applyWhatIf(target, inv.steps).cluster));
    const expectation: Expectation = { kind: 'changes', counts: inv.counts, source: WHERE };
    const beforeRun = new Simulator(baseIndex);
    const afterRun = new Simulator(index);
    let judged = 0;
    return {
      index, baseIndex,
      exercisedFlows: () => judged,
      judge(flow) {
        judged++;
        const before = beforeRun.processFlow(flow).result;
        const after = afterRun.processFlow(flow).result;
        const [outcome] = evaluateExpectations([expectation], [after], { diff: diffResults([before], [after]) });
        return outcome?.passed === false ? { result: after, before } : undefined;
      },
    };
  }
  const run = new Simulator(baseIndex);
  // Names are checked once, before any flow is drawn (checkInvariant): per flow, only the invariant is judged.
  const { names: _checkedBefore, ...context } = expectContextFromIndex(baseIndex);
  let exercised = 0;
  return {
    index: baseIndex, baseIndex,
    exercisedFlows: () => exercised,
    judge(flow) {
      const result = run.processFlow(flow).result;
      if (exercises(inv, flow, result, baseIndex)) exercised++;
      return judgeFlow(inv, flow, result, context);
    },
  };
}

/** Judges one flow's result, as the simulator decided and explained it. */
function judgeFlow(inv: Exclude<Invariant, { kind: 'noChangeUnder' }>, flow: Flow, result: FlowResult, context: ExpectContext): Violation | undefined {
  if (inv.kind === 'predicate') {
    if (inv.when !== undefined && !meetsWhen(inv.when, flow, result)) return undefined;
    const verdict = safely(() => inv.holds(flow, result));
    if (verdict === true) return undefined;
    return typeof verdict === 'string' ? { result, message: verdict } : { result };
  }
  const expectation: Expectation = inv.kind === 'noPlaintextInto'
    ? { kind: 'noPlaintextInto', namespace: inv.namespace, source: WHERE }
    : { kind: 'onlyReachable', to: inv.to, from: inv.from, source: WHERE };
  const [outcome] = evaluateExpectations([expectation], [result], { context });
  return outcome?.passed === false ? { result } : undefined;
}

/** A predicate that throws breaks the invariant; the error becomes its message. */
function safely(run: () => boolean | string): boolean | string {
  try {
    return run();
  } catch (error) {
    return `the predicate threw: ${error instanceof Error ? error.message : String(error)}`;
  }
}
