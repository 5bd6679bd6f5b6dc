import type { ScenarioCheck } from '../model/scenario-check.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { expectationTitle, failureMessage } from './check-describe.js';

/**
 * `check -o json`: every scenario with its status, each expectation (title, where it was written,
 * passed, and for a failure the message and full evidence: counterexample results with their steps,
 * and with generated traffic the counterexample shrunk to its smallest flow),
 * the what-if changes, diagnostics, and totals.
 */
export function renderCheckJson(checks: readonly ScenarioCheck[], extra: readonly Diagnostic[] = []): string {
  const failed = checks.filter((c) => c.status === 'failed').length;
  const errors = checks.filter((c) => c.status === 'error').length;
  return `${JSON.stringify({
    schemaVersion: 1,
    scenarios: checks.map(scenarioJson),
    diagnostics: extra,
    summary: { scenarios: checks.length, passed: checks.length - failed - errors, failed, errors },
  }, null, 2)}\n`;
}

function scenarioJson(check: ScenarioCheck): unknown {
  return {
    name: check.name, file: check.file, status: check.status,
    expectations: check.outcomes.map((o, i) => ({
      title: expectationTitle(o.expectation),
      kind: o.expectation.kind,
      file: o.expectation.source.file, line: o.expectation.source.line,
      passed: o.passed,
      checked: o.checked,
      ...(o.failure ? { message: failureMessage(o.failure), failure: o.failure } : {}),
      ...shrunkJson(check, i),
    })),
    whatIf: check.whatIfNotes,
    ...(check.diff ? { changes: check.diff.counts } : {}),
    ...(check.phases ? { phases: check.phases } : {}),
    summary: check.summary,
    diagnostics: check.diagnostics,
  };
}

/** With generated traffic, a failed invariant's smallest counterexample (flow, result, seed, path, fewest policies). */
function shrunkJson(check: ScenarioCheck, outcome: number): { shrunk?: unknown } {
  const s = check.shrunk?.find((x) => x.outcome === outcome);
  return s ? { shrunk: s.check } : {};
}
