import type { SimulationReport } from '../model/result.js';

/** Sections added after the contract's fields when asked for (e.g. `--coverage`); additive only. */
export type ExtraSections = Readonly<Record<string, unknown>>;

/** `-o json`: the whole report as the contract writes it (DESIGN.md "JSON output"), then any extra sections. */
export function renderJson(report: SimulationReport, extra: ExtraSections = {}): string {
  return `${JSON.stringify({ ...report, ...extra }, null, 2)}\n`;
}

/** `-o jsonl`: one result object per line, then a summary line with diagnostics and counters. */
export function renderJsonLines(report: SimulationReport, extra: ExtraSections = {}): string {
  const lines = report.results.map((r) => JSON.stringify(r));
  lines.push(JSON.stringify({ schemaVersion: report.schemaVersion, summary: report.summary, diagnostics: report.diagnostics, ...(report.capture ? { capture: report.capture } : {}), ...extra }));
  return `${lines.join('\n')}\n`;
}
