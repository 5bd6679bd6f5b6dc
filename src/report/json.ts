import type { SimulationReport } from '../model/result.js';

/** `-o json`: the whole report as the contract writes it (DESIGN.md "JSON output"). */
export function renderJson(report: SimulationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** `-o jsonl`: one result object per line, then a summary line with diagnostics and counters. */
export function renderJsonLines(report: SimulationReport): string {
  const lines = report.results.map((r) => JSON.stringify(r));
  lines.push(JSON.stringify({ schemaVersion: report.schemaVersion, summary: report.summary, diagnostics: report.diagnostics }));
  return `${lines.join('\n')}\n`;
}
