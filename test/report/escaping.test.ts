import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffResults } from '../../src/analysis/diff/diff-results.js';
import { evaluateExpectations } from '../../src/analysis/expect/evaluate-expectations.js';
import { diffRuns, explainFlow, prepareMesh, simulateFlows, validateManifests } from '../../src/index.js';
import type { Expectation } from '../../src/model/scenario.js';
import type { ScenarioCheck } from '../../src/model/scenario-check.js';
import { renderCheckJson } from '../../src/report/check-json.js';
import { renderCheckText } from '../../src/report/check-text.js';
import { renderDiffJson } from '../../src/report/diff-json.js';
import { renderDiffText } from '../../src/report/diff-text.js';
import { escapeText } from '../../src/report/escape-text.js';
import { renderExplanation } from '../../src/report/explain-text.js';
import { renderJson, renderJsonLines } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderDiffMarkdown } from '../../src/report/markdown.js';
import { makeStyle } from '../../src/report/style.js';
import { renderText } from '../../src/report/text.js';
import { renderValidationSarif } from '../../src/report/validate-sarif.js';
import { renderValidationText } from '../../src/report/validate-text.js';
import { CONTROLS, hostileCluster, hostileDiagnostics, hostileFlows, hostileNames, rawControl, twin, type HostileNames } from './escaping-fixtures.js';
import { parseXml, validateJunit } from './junit-schema.js';

const PLAIN = makeStyle(false);
const COLOUR = makeStyle(true);
const RUNS = { numRuns: 60 };

const lines = (text: string): number => text.split('\n').length;
/** Our own colours (SGR sequences), which are all a coloured report may hold besides text. */
const withoutColours = (text: string): string => text.replace(/\u001b\[\d+m/g, '');
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Text output keeps its structure: no raw control but newlines, as many lines as the same report with ordinary names. */
function expectTextSurvives(render: (twinned: boolean) => string): void {
  const text = render(false);
  expect(rawControl(text)).toBeNull();
  expect(lines(text)).toBe(lines(render(true)));
}

/** The cells of a markdown table row, split at pipes that an odd number of backslashes does not escape. */
function cells(row: string): number {
  let count = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] !== '|') continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && row[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) count++;
  }
  return count - 1;
}

function simulation(n: HostileNames) {
  return simulateFlows(hostileCluster(n, false), hostileFlows(n), { diagnostics: hostileDiagnostics(n) });
}

function diff(n: HostileNames) {
  return diffRuns(prepareMesh(hostileCluster(n, false)), prepareMesh(hostileCluster(n, true)), hostileFlows(n));
}

/** Scenario checks as `check` builds them, every name, file, id and expectation hostile; one unreadable. */
function checks(n: HostileNames): ScenarioCheck[] {
  const before = simulateFlows(hostileCluster(n, false), hostileFlows(n)).results;
  const after = simulateFlows(hostileCluster(n, true), hostileFlows(n)).results;
  const source = { file: `s${n.file}.yaml`, document: 0, line: 4 };
  const expectations: Expectation[] = [
    { kind: 'flow', flow: `i${n.id}`, verdict: 'allow', source },
    { kind: 'flow', flow: `m${n.id}`, verdict: 'deny', source },
    { kind: 'noPlaintextInto', namespace: `n${n.namespace}`, source },
    { kind: 'onlyReachable', to: `n${n.namespace}/api`, from: [`orders/u${n.pod}`], source },
    { kind: 'changes', counts: 'none', source },
  ];
  const d = diffResults(before, after);
  const summary = { flows: after.length, allowed: 0, denied: after.length, unencrypted: 0 };
  return [
    {
      name: `c${n.message}`, file: `s${n.file}.yaml`, status: 'failed', outcomes: evaluateExpectations(expectations, after, { diff: d }),
      results: after, before, diff: d, whatIfNotes: [`added ${n.policy}`], diagnostics: hostileDiagnostics(n), summary,
    },
    { name: `e${n.message}`, file: `e${n.file}.yaml`, status: 'error', outcomes: [], results: [], whatIfNotes: [], diagnostics: hostileDiagnostics(n), summary },
  ];
}

describe('every renderer escapes what it prints, whatever names hold', () => {
  it('escapeText shows controls as \\xNN or \\uNNNN and the backslash as \\\\, and leaves other text alone', () => {
    expect(escapeText('a\u001b]0;title\u0007b\nc\td\\e\u202ef\u0085')).toBe('a\\x1b]0;title\\x07b\\x0ac\\x09d\\\\e\\u202ef\\x85');
    expect(escapeText('payments/api → ✓ é')).toBe('payments/api → ✓ é');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const escaped = escapeText(s);
      expect(rawControl(escaped, false)).toBeNull();
      expect(escaped.includes('\n')).toBe(false);
    }), { numRuns: 300 });
  });

  it('simulate: text keeps one line per record (in colour too), JSON and JSONL parse back to the same values', () => {
    fc.assert(fc.property(hostileNames, (n) => {
      const report = simulation(n);
      expectTextSurvives((t) => renderText(t ? twin(report) : report, PLAIN));
      expect(rawControl(withoutColours(renderText(report, COLOUR)))).toBeNull();
      expect(JSON.parse(renderJson(report))).toEqual(roundTrip(report));
      const jsonl = renderJsonLines(report).trimEnd().split('\n');
      expect(jsonl).toHaveLength(report.results.length + 1);
      expect(jsonl.slice(0, -1).map((l) => JSON.parse(l))).toEqual(roundTrip(report.results));
    }), RUNS);
  });

  it('explain: text keeps its lines', () => {
    fc.assert(fc.property(hostileNames, (n) => {
      for (const f of hostileFlows(n)) {
        const evaluation = explainFlow(hostileCluster(n, true), f);
        expectTextSurvives((t) => renderExplanation(t ? twin(evaluation) : evaluation, PLAIN));
      }
    }), RUNS);
  });

  it('diff: text keeps its lines, JSON parses, every markdown table row keeps its column count', () => {
    fc.assert(fc.property(hostileNames, (n) => {
      const result = diff(n);
      const context = { notes: [`added ${n.policy}`, n.message], diagnostics: hostileDiagnostics(n) };
      expectTextSurvives((t) => (t ? renderDiffText(twin(result), PLAIN, twin(context)) : renderDiffText(result, PLAIN, context)));
      expect(JSON.parse(renderDiffJson(result, context)).changed).toEqual(roundTrip(result.changed.map((c) => ({ id: c.id, changes: c.kinds, before: c.before, after: c.after }))));
      const markdown = renderDiffMarkdown(result, context);
      expect(rawControl(markdown)).toBeNull();
      expect(lines(markdown)).toBe(lines(renderDiffMarkdown(twin(result), twin(context))));
      for (const row of markdown.split('\n').filter((l) => l.startsWith('|'))) expect([2, 7]).toContain(cells(row));
    }), RUNS);
  });

  it('check: text keeps its lines, JSON parses, JUnit is well-formed and valid with one testcase per expectation', () => {
    fc.assert(fc.property(hostileNames, (n) => {
      const list = checks(n);
      expectTextSurvives((t) => renderCheckText(t ? twin(list) : list, PLAIN, t ? twin(hostileDiagnostics(n)) : hostileDiagnostics(n)));
      expect(JSON.parse(renderCheckJson(list)).scenarios).toHaveLength(2);
      const xml = renderJunit(list);
      expect(rawControl(xml)).toBeNull();
      expect(validateJunit(xml)).toEqual([]);
      const root = parseXml(xml);
      expect(root.children.map((s) => s.children.filter((c) => c.name === 'testcase').length)).toEqual([5, 1]);
      expect(root.children[0]?.attributes['name']).toBe(escapeText(`c${n.message}`));
    }), RUNS);
  });

  it('validate: text keeps its lines, SARIF parses with one result per located diagnostic', () => {
    fc.assert(fc.property(hostileNames, (n) => {
      const diagnostics = [...hostileDiagnostics(n), ...validateManifests(hostileCluster(n, true)).diagnostics];
      expectTextSurvives((t) => renderValidationText(t ? twin(diagnostics) : diagnostics, PLAIN));
      const sarif = JSON.parse(renderValidationSarif(diagnostics, { version: '0.0.0' }));
      expect(sarif.runs[0].results).toHaveLength(diagnostics.filter((d) => d.file !== undefined).length);
    }), RUNS);
  });

  it('the alphabet holds every control character the reports must not print raw', () => {
    expect(CONTROLS).toHaveLength(32 + 1 + 32 + 2 + 5 + 4);
  });
});
