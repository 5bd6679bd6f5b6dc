import type { Diagnostic } from '../../model/diagnostic.js';
import type { ResultDiff } from '../../model/diff.js';
import type { FlowResult, Summary } from '../../model/result.js';
import type { ScenarioCheck } from '../../model/scenario-check.js';
import { expectationTitle, failingFlows, failureMessage } from '../check-describe.js';
import { escapeText } from '../escape-text.js';
import { locationText, messageWithoutLocation } from '../diagnostics-text.js';
import { GROUP_TITLES, groupChanges } from '../diff-groups.js';
import type { GraphDirectory } from '../graph/graph-directory.js';
import { diffGraphTally, trafficGraphTally } from './graph-page.js';
import { htmlDocument } from './html-document.js';
import { PAGE_LAYOUT, type PageChangeGroup, type PageData, type PageView } from './page-data.js';
import { PageFlows } from './page-flows.js';
import { PageTables } from './page-tables.js';

/** What the end of a run adds to its report. */
export interface HtmlTail {
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: Summary;
}

/**
 * The HTML report of `simulate`, gathered as results are decided (`add`), written whole at the end
 * (`render`). It keeps the table's columns, not the results: the first HTML_FLOW_LIMIT flows are
 * listed, the graph and summary count every flow. `directory` names the graph's nodes as the mesh does.
 */
export class SimulationHtml {
  private readonly tables = new PageTables();
  private readonly flows: PageFlows;

  constructor(directory?: GraphDirectory) {
    this.flows = new PageFlows(this.tables, trafficGraphTally(directory));
  }

  add(result: FlowResult): void {
    this.flows.add(result);
  }

  render(tail: HtmlTail): string {
    const s = tail.summary;
    const view = finishView(this.flows, {
      name: 'simulation', summary: [['flows', s.flows], ['allowed', s.allowed], ['denied', s.denied], ['not encrypted', s.unencrypted]],
      notes: [], diagnostics: tail.diagnostics,
    });
    return htmlDocument(pageData('simulate', 'ambient-bench simulate', this.tables, [view]));
  }
}

/** The HTML report of `diff`: the changed, added and removed flows, their graph with the changed edges, and the change groups. */
export function renderDiffHtml(diff: ResultDiff, context: { notes?: readonly string[]; diagnostics?: readonly Diagnostic[]; directory?: GraphDirectory } = {}): string {
  const tables = new PageTables();
  const flows = new PageFlows(tables, diffGraphTally(diff, context.directory), Number.POSITIVE_INFINITY);
  const change: number[] = [];
  const before: number[] = [];
  for (const c of diff.changed) {
    flows.add(c.after);
    change.push(tables.string(c.kinds[0]));
    before.push(flows.encoder.classOf(c.before, flows.graph.add(c.before)));
  }
  for (const [list, kind] of [[diff.added, 'added'], [diff.removed, 'removed']] as const) {
    for (const r of list) {
      flows.add(r);
      change.push(tables.string(kind));
      before.push(-1);
    }
  }
  const k = diff.counts;
  const view = finishView(flows, {
    name: 'diff', summary: [['changed', k.changed], ['unchanged', k.unchanged], ['added', k.added], ['removed', k.removed], ['allowed → denied', k.allowedToDenied], ['encrypted → plaintext', k.encryptedToPlaintext]],
    notes: context.notes ?? [], diagnostics: context.diagnostics ?? [],
  });
  const groups: PageChangeGroup[] = groupChanges(diff).map((g) => ({ kind: g.kind, title: GROUP_TITLES[g.kind], count: g.changes.length }));
  if (diff.added.length > 0) groups.push({ kind: 'added', title: 'only after', count: diff.added.length });
  if (diff.removed.length > 0) groups.push({ kind: 'removed', title: 'only before', count: diff.removed.length });
  return htmlDocument(pageData('diff', 'ambient-bench diff', tables, [{ ...view, change, before, changeGroups: groups }]));
}

/** The HTML report of `check`: one view per scenario, with its expectations and the flows that break them. */
export function renderCheckHtml(checks: readonly ScenarioCheck[], diagnostics: readonly Diagnostic[] = []): string {
  const tables = new PageTables();
  const views = checks.map((c) => checkView(c, tables));
  if (views.length === 0) views.push(emptyView(tables, diagnostics));
  else if (diagnostics.length > 0) views[0] = { ...(views[0] as PageView), diagnostics: [...diagnosticLines(diagnostics), ...(views[0] as PageView).diagnostics] };
  return htmlDocument(pageData('check', 'ambient-bench check', tables, views));
}

function checkView(c: ScenarioCheck, tables: PageTables): PageView {
  const flows = new PageFlows(tables, trafficGraphTally(), Number.POSITIVE_INFINITY);
  const index = new Map<string, number>();
  for (const r of c.results) index.set(r.id, flows.add(r));
  const changeOf = new Map((c.diff?.changed ?? []).map((x) => [x.id, x.kinds[0]]));
  const expectations = c.outcomes.map((o) => ({
    title: tableText(tables, expectationTitle(o.expectation)), passed: o.passed, checked: o.checked,
    message: o.failure ? tableText(tables, failureMessage(o.failure)) : '',
    flows: o.failure ? failingFlows(o.failure).map((r) => index.get(r.id) ?? flows.add(r)) : [],
  }));
  const s = c.summary;
  const view = finishView(flows, {
    name: `${c.status === 'passed' ? 'passed' : c.status === 'failed' ? 'FAILED' : 'ERROR'}: ${c.name}`,
    summary: [['scenario', c.file], ['flows', s.flows], ['allowed', s.allowed], ['denied', s.denied], ['not encrypted', s.unencrypted]],
    notes: c.whatIfNotes, diagnostics: c.diagnostics,
  });
  const change = c.diff ? view.ids.map((_, i) => tables.string(changeOf.get(c.results[i]?.id ?? ''))) : undefined;
  return { ...view, expectations, ...(change ? { change } : {}) };
}

function emptyView(tables: PageTables, diagnostics: readonly Diagnostic[]): PageView {
  const flows = new PageFlows(tables, trafficGraphTally());
  return finishView(flows, { name: 'no scenario was checked', summary: [], notes: [], diagnostics });
}

interface ViewFacts {
  readonly name: string;
  readonly summary: readonly (readonly [string, string | number])[];
  readonly notes: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

function finishView(flows: PageFlows, facts: ViewFacts): PageView {
  const { graph, note } = flows.finish();
  const f = flows.encoder.flows;
  return {
    name: escapeText(facts.name), summary: facts.summary.map(([k, v]) => [k, typeof v === 'number' ? v.toLocaleString('en') : escapeText(v)] as const),
    ids: f.ids, flowClass: f.flowClass, classes: f.classes, ...(flows.encoder.recorded() ? { origin: f.origin } : {}),
    graph, notes: [...(note ? [note] : []), ...facts.notes.map(escapeText)], diagnostics: diagnosticLines(facts.diagnostics),
  };
}

/** `file:line: severity code: message`, one per diagnostic, escaped as text output is. */
function diagnosticLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => escapeText(`${locationText(d) ? `${locationText(d)}: ` : ''}${d.severity} ${d.code}: ${messageWithoutLocation(d)}`));
}

/** Text shown as written by the string table (escaped the same way). */
function tableText(tables: PageTables, value: string): string {
  return tables.strings[tables.string(value)] as string;
}

function pageData(command: PageData['command'], title: string, tables: PageTables, views: PageView[]): PageData {
  return {
    command, title, layout: PAGE_LAYOUT, strings: tables.strings, decisions: tables.decisions.flat,
    hops: tables.hops.flat, steps: tables.steps.flat, explanations: tables.explanations, views,
  };
}
