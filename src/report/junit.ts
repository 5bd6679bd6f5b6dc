import type { ExpectationOutcome } from '../model/expectation.js';
import type { ScenarioCheck } from '../model/scenario-check.js';
import { expectationTitle, failureMessage } from './check-describe.js';
import { failureDetail } from './check-text.js';
import { renderDiagnosticsText } from './diagnostics-text.js';
import { escapeText } from './escape-text.js';
import { xmlAttribute, xmlText } from './escape-xml.js';
import { makeStyle } from './style.js';

const PLAIN = makeStyle(false);

/**
 * `check -o junit`: JUnit XML as CI servers read it (the Jenkins xunit-plugin junit-10.xsd shape): one
 * testsuite per scenario, one testcase per expectation; a failure's message says why and its body
 * lists the failing flows with their explanation. An unreadable scenario is a testcase with an error.
 * `time` is in seconds with microsecond digits from each check's `timing` (`0` without one): a
 * testcase's is rounded down and a suite's up, so a suite is never shorter than its testcases, and
 * the root's is the sum of the suites'. Values from the input are escaped as text reports show them
 * (escape-text.ts), then as XML (escape-xml.ts), so the file stays well-formed whatever they hold.
 */
export function renderJunit(checks: readonly ScenarioCheck[]): string {
  const failures = checks.reduce((n, c) => n + c.outcomes.filter((o) => !o.passed).length, 0);
  const errors = checks.filter((c) => c.status === 'error').length;
  const tests = checks.reduce((n, c) => n + (c.status === 'error' ? 1 : c.outcomes.length), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ambient-bench check" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(checks.reduce((n, c) => n + suiteMicros(c), 0))}">`,
    ...checks.flatMap((c) => suite(c)),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function suite(check: ScenarioCheck): string[] {
  const classname = `scenario.${check.name}`;
  if (check.status === 'error') {
    const detail = renderDiagnosticsText(check.diagnostics.filter((d) => d.severity === 'error'), PLAIN).join('\n');
    return [
      `  <testsuite name="${attr(check.name)}" tests="1" failures="0" errors="1" skipped="0" time="${seconds(suiteMicros(check))}" file="${attr(check.file)}">`,
      `    <testcase name="the scenario can be read" classname="${attr(classname)}" file="${attr(check.file)}" time="${seconds(Math.floor(1e6 * (check.timing?.seconds ?? 0)))}">`,
      `      <error message="${xmlAttribute(detail.split('\n')[0] ?? 'unreadable scenario')}" type="unreadable-scenario">${xmlText(detail)}</error>`,
      '    </testcase>',
      '  </testsuite>',
    ];
  }
  const failed = check.outcomes.filter((o) => !o.passed).length;
  const out = [
    `  <testsuite name="${attr(check.name)}" tests="${check.outcomes.length}" failures="${failed}" errors="0" skipped="0" time="${seconds(suiteMicros(check))}" file="${attr(check.file)}">`,
    ...check.outcomes.flatMap((o, i) => testcase(o, classname, Math.floor(1e6 * (check.timing?.expectations[i] ?? 0)))),
  ];
  const notes = [
    `${check.summary.flows} flows: ${check.summary.allowed} allowed, ${check.summary.denied} denied, ${check.summary.unencrypted} unencrypted`,
    ...check.whatIfNotes.map((n) => `what-if: ${escapeText(n)}`),
    ...renderDiagnosticsText(check.diagnostics.filter((d) => d.severity !== 'info'), PLAIN),
  ];
  out.push(`    <system-out>${xmlText(notes.join('\n'))}</system-out>`, '  </testsuite>');
  return out;
}

function testcase(o: ExpectationOutcome, classname: string, micros: number): string[] {
  const open = `    <testcase name="${attr(expectationTitle(o.expectation))}" classname="${attr(classname)}" file="${attr(o.expectation.source.file)}" line="${o.expectation.source.line}" time="${seconds(micros)}"`;
  if (o.passed || !o.failure) return [`${open}/>`];
  const body = [escapeText(failureMessage(o.failure)), ...failureDetail(o.failure, PLAIN)].join('\n');
  return [
    `${open}>`,
    `      <failure message="${attr(failureMessage(o.failure))}" type="${o.failure.kind}">${xmlText(body)}</failure>`,
    '    </testcase>',
  ];
}

/** A suite's whole microseconds, rounded up so that it is never less than the sum of its testcases'. */
function suiteMicros(check: ScenarioCheck): number {
  return Math.ceil(1e6 * (check.timing?.seconds ?? 0));
}

/** Whole microseconds as JUnit seconds: `0` for none, else `1.234567`. */
function seconds(micros: number): string {
  return micros === 0 ? '0' : (micros / 1e6).toFixed(6);
}

/** A value from the input as an attribute: escaped as text shows it, then as XML. */
function attr(value: string): string {
  return xmlAttribute(escapeText(value));
}
