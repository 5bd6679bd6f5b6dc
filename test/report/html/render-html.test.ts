import { describe, expect, it } from 'vitest';
import { diffResults } from '../../../src/analysis/diff/diff-results.js';
import type { FlowResult } from '../../../src/model/result.js';
import { groupChanges } from '../../../src/report/diff-groups.js';
import { trafficGraphTally } from '../../../src/report/html/graph-page.js';
import { htmlDocument, pageScript, scriptSafeJson } from '../../../src/report/html/html-document.js';
import { PAGE_LAYOUT, WIRE_CLASS, WIRE_CLASS_WIDTH, WIRE_DECISION, WIRE_DECISION_WIDTH, type PageData } from '../../../src/report/html/page-data.js';
import { deltaEncodeData, packNumbers } from '../../../src/report/html/delta-columns.js';
import { pageDecode } from '../../../src/report/html/page-decode.js';
import { PageFlows } from '../../../src/report/html/page-flows.js';
import { PageTables } from '../../../src/report/html/page-tables.js';
import { renderCheckHtml, renderDiffHtml, SimulationHtml } from '../../../src/report/html/render-html.js';
import { FAILING, PASSING, UNREADABLE } from '../check-fixtures.js';
import { denied, plaintext, result } from '../../analysis/expect/result-fixtures.js';
import { AFTER, BEFORE } from '../diff-fixtures.js';

const HOSTILE = ['</script><script>alert(1)</script>', '<!--', '\u2028\u2029', '&lt;', '</SCRIPT >', '\u202e\u0007'];

/** The JSON a report embeds, read back and decoded as the page reads it. */
function embedded(html: string): PageData {
  const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('the report has no data script');
  return pageDecode(JSON.parse(m[1] as string) as PageData);
}

function simulation(results: readonly FlowResult[]): string {
  const html = new SimulationHtml();
  for (const r of results) html.add(r);
  const denials = results.filter((r) => r.verdict === 'deny').length;
  return html.render({ diagnostics: [], summary: { flows: results.length, allowed: results.length - denials, denied: denials, unencrypted: 0 } });
}

describe('scriptSafeJson() embeds data a <script> cannot be closed by', () => {
  it.each(HOSTILE)('writes %j with no markup character or line separator, and JSON.parse reads it back', (value) => {
    const json = scriptSafeJson({ value });
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual({ value });
  });

  it('leaves a report with hostile flow ids, sources and policies with exactly its two scripts', () => {
    const html = simulation(HOSTILE.map((h, i) => denied(`${h}-${i}`, `ns/${h}`, { source: `${h}/x` })));
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    const data = embedded(html);
    expect(data.views[0]?.ids[0]).toBe('</script><script>alert(1)</script>-0');
    // Controls and bidirectional overrides are shown as escapes, as text output shows them.
    expect(data.views[0]?.ids[5]).toBe('\\u202e\\x07-5');
  });
});

describe('the page is one self-contained file', () => {
  const html = simulation([result('a'), plaintext('b')]);

  it('loads nothing: no src or href attribute, no URL but the SVG namespace, a policy forbidding every fetch', () => {
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html.match(/https?:\/\/[^\s"'`)]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).toContain("default-src 'none'");
  });

  it('builds the DOM with textContent: its script never writes markup', () => {
    expect(pageScript()).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(pageScript()).toContain('textContent');
  });
});

describe('the compact encoding', () => {
  it('stores what flows share once: a class per distinct endpoints and outcome, a decision, hop and step each once', () => {
    const results = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? result(`f${i}`) : denied(`f${i}`, 'payments/deny-all')));
    const data = embedded(simulation(results));
    const view = data.views[0];
    expect(view?.ids).toHaveLength(1000);
    expect(view?.classes).toHaveLength(2 * WIRE_CLASS_WIDTH);
    // Each explanation: hop count, step count, then its hops and steps (both share hop 0).
    expect(data.explanations).toEqual([1, 1, 0, 0, 1, 1, 0, 1]);
    expect(data.decisions).toHaveLength(2 * WIRE_DECISION_WIDTH);
    // Both flows take the same hop; their steps differ.
    expect(data.hops).toHaveLength(data.layout.hopWidth);
    expect(data.steps).toHaveLength(2 * data.layout.stepWidth);
    expect(view?.flowClass.slice(0, 4)).toEqual([0, 1, 0, 1]);
    const decision = view?.classes[WIRE_CLASS_WIDTH + WIRE_CLASS.decision] ?? -1;
    expect(data.decisions[decision * WIRE_DECISION_WIDTH + WIRE_DECISION.denied]).toBe(1);
  });

  it('keeps a 100,000-flow report of 500 workloads under 10 MB', () => {
    const results = Array.from({ length: 100_000 }, (_, i) => {
      const source = `ns-${i % 20}/workload-${i % 500}`;
      return i % 7 === 0 ? denied(`flow-${i}`, `ns-${i % 20}/deny-${i % 3}`, { source }) : result(`flow-${i}`, { source, destination: `ns-${i % 13}/svc-${i % 40}:80` });
    });
    const html = simulation(results);
    const data = embedded(html);
    expect(data.views[0]?.ids).toHaveLength(100_000);
    expect(data.views[0]?.graph.nodes.length).toBeGreaterThan(500);
    expect(Buffer.byteLength(html)).toBeLessThan(10 * 1024 * 1024);
    console.log(`a 100,000-flow report of ${data.views[0]?.graph.nodes.length} graph nodes: ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB`);
  }, 60_000);

  it('lists the first flows up to its limit, and counts every flow in the graph', () => {
    const flows = new PageFlows(new PageTables(), trafficGraphTally(), 10);
    for (let i = 0; i < 25; i++) flows.add(result(`f${i}`, { source: `orders/w-${i % 5}` }));
    const { graph, note } = flows.finish();
    expect(flows.encoder.flows.ids).toHaveLength(10);
    expect(graph.edges.reduce((n, e) => n + e.flows, 0)).toBe(25);
    expect(note).toBe('The table lists the first 10 of 25 flows; the graph and the summary count all of them.');
  });
});

describe('numbers packed for the file', () => {
  it('read back as written: delta-encoded columns and base-32 digits, negative and large numbers too', () => {
    const columns = [-1, 0, 1, 15, 16, 511, 512, 16_383, 16_384, 2 ** 31 - 1, -(2 ** 31), 7, 7, -1];
    const data = { layout: PAGE_LAYOUT, decisions: columns.slice(0, 8), hops: columns.slice(0, 12), steps: columns.slice(0, 10), explanations: columns, views: [{ flowClass: columns, classes: columns.slice(0, 10) }] } as unknown as PageData;
    const decoded = pageDecode(JSON.parse(JSON.stringify(deltaEncodeData(data))) as PageData);
    expect(decoded.explanations).toEqual(columns);
    expect(decoded.hops).toEqual(columns.slice(0, 12));
    expect(decoded.views[0]?.flowClass).toEqual(columns);
    expect(decoded.views[0]?.classes).toEqual(columns.slice(0, 10));
  });

  it('writes small numbers in one character and needs no separator', () => {
    expect(packNumbers([0, -1, 1, 7, -8])).toHaveLength(5);
    expect(packNumbers([16, 511])).toHaveLength(4);
    expect(packNumbers([100_000])).toMatch(/^[g-z0-9+/]+[A-Za-f]$/);
  });
});

describe('renderDiffHtml()', () => {
  it('lists the changed, added and removed flows with their change, the class before, and the change groups', () => {
    const diff = diffResults(BEFORE, AFTER);
    const data = embedded(renderDiffHtml(diff));
    const view = data.views[0];
    const changes = view?.change?.map((i) => data.strings[i]);
    expect(changes).toEqual([...diff.changed.map((c) => c.kinds[0]), 'added', 'removed']);
    expect(view?.before?.filter((b) => b >= 0)).toHaveLength(diff.changed.length);
    expect(view?.changeGroups?.map((g) => [g.kind, g.count])).toEqual([
      ...groupChanges(diff).map((g) => [g.kind, g.changes.length]), ['added', 1], ['removed', 1],
    ]);
    expect(view?.graph.edges.some((e) => e.change === 'changed')).toBe(true);
  });
});

describe('renderCheckHtml()', () => {
  const data = embedded(renderCheckHtml([PASSING, FAILING, UNREADABLE]));

  it('has one view per scenario, named by its status and name', () => {
    expect(data.views.map((v) => v.name)).toEqual(['passed: Checkout keeps paying', 'FAILED: Mesh goes STRICT', 'ERROR: scenarios/broken/scenario.yaml']);
    expect(data.views[2]?.diagnostics[0]).toMatch(/^scenarios\/broken\/scenario.yaml:2:3: error yaml-syntax: /);
  });

  it('lists each expectation with the flows that break it, by their place among the view\'s flows', () => {
    const view = data.views[1];
    const failed = view?.expectations?.filter((e) => !e.passed) ?? [];
    expect(failed.length).toBeGreaterThan(0);
    for (const e of failed) {
      expect(e.message).not.toBe('');
      for (const f of e.flows) expect(view?.ids[f]).toBeDefined();
    }
    // The what-if changed legacy-batch's verdict and encryption: the changes expectation shows it (after the what-if).
    expect(failed.map((e) => [e.title, e.flows.map((f) => view?.ids[f])])).toEqual([['the what-if changes no flow\'s verdict or encryption', ['legacy-batch']]]);
    expect(view?.notes).toEqual(['set PeerAuthentication istio-system/default to STRICT']);
    // A scenario with a what-if marks each flow with its change.
    expect(view?.change?.map((i) => data.strings[i] ?? null)).toEqual(['decision-moved', 'allowed-to-denied']);
  });
});
