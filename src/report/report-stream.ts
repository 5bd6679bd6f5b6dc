import type { FlowResult, SimulationReport } from '../model/result.js';
import type { ExtraSections } from './json.js';
import { resultJson } from './result-json.js';
import { renderResult, renderText } from './text.js';
import type { Style } from './style.js';

/** The report's fields after its results, as a stream writes them once every result is out. */
export type ReportTail = Omit<SimulationReport, 'results'>;

/**
 * A report written piece by piece as results are decided, byte for byte what the whole-report
 * renderers (`renderJson`, `renderJsonLines`, `renderText`) write: `head()`, then `result()` for
 * each result in order, then `tail()`.
 */
export interface ReportStream {
  head(): string;
  result(r: FlowResult): string;
  tail(rest: ReportTail, extra?: ExtraSections): string;
}

/** `-o jsonl`: one result per line, then the summary line. */
export function jsonLinesStream(): ReportStream {
  return {
    head: () => '',
    result: (r) => `${resultJson(r)}\n`,
    tail: (rest, extra = {}) => `${JSON.stringify({ schemaVersion: rest.schemaVersion, summary: rest.summary, diagnostics: rest.diagnostics, ...(rest.capture ? { capture: rest.capture } : {}), ...extra })}\n`,
  };
}

/** `-o json`: the contract's object, results first, then diagnostics, summary and any other section. */
export function jsonStream(): ReportStream {
  let count = 0;
  return {
    head: () => '{\n  "schemaVersion": 1,\n  "results": [',
    result: (r) => `${count++ === 0 ? '\n' : ',\n'}    ${indented(r, 2)}`,
    tail: (rest, extra = {}) => {
      const { schemaVersion: _version, ...fields } = rest;
      const sections = Object.entries({ ...fields, ...extra }).filter(([, v]) => v !== undefined).map(([k, v]) => `  ${JSON.stringify(k)}: ${indented(v, 1)}`);
      return `${count > 0 ? '\n  ' : ''}],\n${sections.join(',\n')}\n}\n`;
    },
  };
}

/** `-o text`: each flow's lines as it is decided, then diagnostics, the capture section and the summary. */
export function textStream(style: Style): ReportStream {
  return {
    head: () => '',
    result: (r) => `${renderResult(r, style).join('\n')}\n\n`,
    tail: (rest) => renderText({ ...rest, results: [] }, style),
  };
}

/** `JSON.stringify(value, null, 2)` as it reads nested `level` deep. */
function indented(value: unknown, level: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(level)}`);
}
