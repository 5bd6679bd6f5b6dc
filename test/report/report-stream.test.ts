import { describe, expect, it } from 'vitest';
import type { FlowResult, SimulationReport } from '../../src/model/result.js';
import { renderJson, renderJsonLines } from '../../src/report/json.js';
import { jsonLinesStream, jsonStream, textStream, type ReportStream } from '../../src/report/report-stream.js';
import { makeStyle } from '../../src/report/style.js';
import { renderText } from '../../src/report/text.js';

const result = (id: string, verdict: 'allow' | 'deny'): FlowResult => ({
  id, source: 'a/b', destination: 'c/d:80', verdict, encrypted: verdict === 'allow',
  decidedBy: { component: 'destination-ztunnel', name: 'node-a' }, policy: null, rule: null, reason: verdict === 'allow' ? 'default-allow' : 'no-allow-policy-matched',
  hops: [{ from: 'a/b', to: 'c/d', transport: 'hbone', peerIdentity: 'spiffe://cluster.local/ns/a/sa/b' }], steps: [],
} as unknown as FlowResult);

const report = (results: FlowResult[]): SimulationReport => ({
  schemaVersion: 1, results,
  diagnostics: [{ severity: 'warning', code: 'duplicate-flow-id', file: 'f.jsonl', line: 2, message: 'f.jsonl:2: flow id "x" is used again' }],
  summary: { flows: results.length, allowed: 1, denied: 1, unencrypted: 1, components: [] },
});

function streamed(stream: ReportStream, r: SimulationReport, extra = {}): string {
  const { results, ...rest } = r;
  return stream.head() + results.map((x) => stream.result(x)).join('') + stream.tail(rest, extra);
}

describe('report streams write what the whole-report renderers write', () => {
  it.each([
    ['no results', []],
    ['one result', [result('1', 'allow')]],
    ['several results', [result('1', 'allow'), result('2', 'deny'), result('3', 'allow')]],
  ])('-o json streamed equals renderJson with %s, extra sections last', (_name, results) => {
    const r = report(results as FlowResult[]);
    expect(streamed(jsonStream(), r, { coverage: { rules: 1 } })).toBe(renderJson(r, { coverage: { rules: 1 } }));
    expect(JSON.parse(streamed(jsonStream(), r))).toEqual(r);
  });

  it('-o jsonl streamed equals renderJsonLines', () => {
    const r = report([result('1', 'allow'), result('2', 'deny')]);
    expect(streamed(jsonLinesStream(), r)).toBe(renderJsonLines(r));
  });

  it('-o text streamed equals renderText', () => {
    const r = report([result('1', 'allow'), result('2', 'deny')]);
    const style = makeStyle(false);
    expect(streamed(textStream(style), r)).toBe(renderText(r, style));
  });
});
