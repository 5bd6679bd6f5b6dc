import type { ExpectationFailure, ExpectationOutcome } from '../model/expectation.js';
import type { ScenarioCheck, ShrunkCounterexample } from '../model/scenario-check.js';
import { renderInvariantCheck } from './invariant-text.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { changeLine, expectationTitle, failingFlows, failureMessage, passNote, SHOWN_COUNTEREXAMPLES } from './check-describe.js';
import { appendLines } from './append-lines.js';
import { renderDiagnosticsText } from './diagnostics-text.js';
import { escapeText } from './escape-text.js';
import type { Style } from './style.js';
import { phaseCheckLines } from './timeline-text.js';
import { renderResult } from './text.js';

/**
 * `check -o text` (every value from the input escaped, escape-text.ts): per scenario its status, each expectation with a mark, and for a failure the reason
 * and its smallest counterexample flows with their explanation; then a one-line total.
 */
export function renderCheckText(checks: readonly ScenarioCheck[], style: Style, extra: readonly Diagnostic[] = []): string {
  const out: string[] = [];
  for (const check of checks) appendLines(out, scenarioLines(check, style)).push('');
  if (extra.length > 0) appendLines(out, renderDiagnosticsText(extra, style)).push('');
  const failed = checks.filter((c) => c.status === 'failed').length;
  const errors = checks.filter((c) => c.status === 'error').length;
  const passed = checks.length - failed - errors;
  const expectations = checks.reduce((n, c) => n + c.outcomes.length, 0);
  const failedExpectations = checks.reduce((n, c) => n + c.outcomes.filter((o) => !o.passed).length, 0);
  out.push(`${style.bold('Scenarios')}: ${checks.length} checked, ${style.green(`${passed} passed`)}, ${failed > 0 ? style.red(`${failed} failed`) : '0 failed'}${errors > 0 ? `, ${style.red(`${errors} unreadable`)}` : ''}; expectations: ${expectations - failedExpectations}/${expectations} held`);
  return `${out.join('\n')}\n`;
}

function scenarioLines(check: ScenarioCheck, style: Style): string[] {
  const status = check.status === 'passed' ? style.green('PASS') : check.status === 'failed' ? style.red('FAIL') : style.red('ERROR');
  const lines = [`${status} ${style.bold(escapeText(check.name))}  ${style.dim(escapeText(check.file))}`];
  if (check.status === 'error') {
    appendLines(lines, renderDiagnosticsText(check.diagnostics.filter((d) => d.severity === 'error'), style), '    ');
    return lines;
  }
  const s = check.summary;
  lines.push(style.dim(`    ${s.flows} flows: ${s.allowed} allowed, ${s.denied} denied, ${s.unencrypted} unencrypted`));
  if (check.whatIfNotes.length > 0) lines.push(style.dim('    what-if:'), ...check.whatIfNotes.map((n) => style.dim(`      ${escapeText(n)}`)));
  if (check.diff) {
    const c = check.diff.counts;
    lines.push(style.dim(`    changes: ${c.changed} flows (${c.allowedToDenied} allowed->denied, ${c.deniedToAllowed} denied->allowed, ${c.encryptedToPlaintext} encrypted->plaintext, ${c.plaintextToEncrypted} plaintext->encrypted)`));
  }
  if (check.phases) appendLines(lines, phaseCheckLines(check.phases, style), '    ');
  check.outcomes.forEach((o, i) => {
    appendLines(lines, outcomeLines(o, style));
    const shrunk = check.shrunk?.find((s) => s.outcome === i);
    if (shrunk) appendLines(lines, shrunkLines(shrunk, style));
  });
  const problems = check.diagnostics.filter((d) => d.severity !== 'info');
  if (problems.length > 0) {
    lines.push(style.dim('    diagnostics:'));
    appendLines(lines, renderDiagnosticsText(problems, style), '      ');
  }
  return lines;
}

function outcomeLines(o: ExpectationOutcome, style: Style): string[] {
  const title = escapeText(expectationTitle(o.expectation));
  const where = style.dim(`(${escapeText(o.expectation.source.file)}:${o.expectation.source.line})`);
  if (o.passed) {
    const note = passNote(o);
    return [`  ${style.green('✓')} ${title}${note ? style.dim(` — ${note}`) : ''}`];
  }
  const failure = o.failure as ExpectationFailure;
  return [`  ${style.red('✗')} ${title} ${where}`, `      ${style.red(escapeText(failureMessage(failure)))}`, ...failureDetail(failure, style).map((l) => `    ${l}`)];
}

/** A failed invariant over generated traffic, shrunk: the smallest flow, its explanation, the fewest policies, the replay. */
function shrunkLines(s: ShrunkCounterexample, style: Style): string[] {
  const text = renderInvariantCheck({ ...s.check, ...(s.explanation ? { explanation: s.explanation } : {}) }, { style, manifests: s.manifests });
  return [`      ${style.bold('shrunk')} (fast-check, over generated flows):`, ...text.trimEnd().split('\n').map((l) => (l === '' ? '' : `      ${l}`))];
}

/** The counterexample flows of a failure with their explanation, the rest by id. */
export function failureDetail(failure: ExpectationFailure, style: Style): string[] {
  const flows = failingFlows(failure);
  const lines: string[] = [];
  const changes = failure.kind === 'changes-differ' ? new Map(failure.changes.map((c) => [c.after, c])) : undefined;
  for (const r of flows.slice(0, SHOWN_COUNTEREXAMPLES)) {
    const change = changes?.get(r);
    if (change) lines.push(`  ${style.bold(escapeText(r.id))} changed: ${escapeText(changeLine(change.before, change.after))}`);
    appendLines(lines, renderResult(r, style), '  ');
  }
  if (flows.length > SHOWN_COUNTEREXAMPLES) {
    const rest = flows.slice(SHOWN_COUNTEREXAMPLES);
    lines.push(`  ... and ${rest.length} more: ${rest.slice(0, 20).map((r) => escapeText(r.id)).join(', ')}${rest.length > 20 ? ', ...' : ''}`);
  }
  return lines;
}
