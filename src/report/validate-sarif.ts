import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { ruleText } from './lint-rules.js';
import { bareMessage } from './validate-text.js';

/** The SARIF 2.1.0 schema address GitHub code scanning and most viewers recognise. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** The tool's version (package.json `version`). */
  readonly version: string;
  /** Where the rules are documented; shown by viewers as each rule's help link. */
  readonly informationUri?: string;
}

/** A relative path as a URI reference: forward slashes, no leading `./`, percent-encoded. */
export function artifactUri(file: string): string {
  return encodeURI(file.replace(/\\/g, '/').replace(/^(\.\/)+/, '')).replace(/[?#]/g, (c) => encodeURIComponent(c));
}

function rule(code: string, level: 'error' | 'warning' | 'note') {
  const t = ruleText(code);
  return {
    id: code,
    name: code.split('-').map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: t.summary },
    fullDescription: { text: t.explanation },
    help: { text: `${t.explanation} Fix: ${t.fix}`, markdown: `${t.explanation}\n\n**Fix:** ${t.fix}` },
    defaultConfiguration: { level: t.level ? LEVEL[t.level] : level },
    properties: { tags: ['istio', 'ambient', 'security'] },
  };
}

/**
 * `validate -o sarif`: one SARIF 2.1.0 run whose `tool.driver.rules` describe every code reported, one
 * result per diagnostic located at `file:line:col` relative to `%SRCROOT%` (as GitHub code scanning
 * expects). Diagnostics without a file (summaries) become tool notifications, since results need a location.
 */
export function renderValidationSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  const located = diagnostics.filter((d) => d.file !== undefined);
  const codes = [...new Set(located.map((d) => d.code))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const worst = (code: string) => located.find((d) => d.code === code)?.severity ?? 'warning';
  const results = located.map((d) => ({
    ruleId: d.code,
    ruleIndex: ruleIndex.get(d.code) as number,
    level: LEVEL[d.severity],
    message: { text: bareMessage(d) },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: artifactUri(d.file as string), uriBaseId: SRCROOT },
        region: { startLine: Math.max(1, d.line ?? 1), startColumn: Math.max(1, d.column ?? 1) },
      },
    }],
  }));
  const notes = diagnostics.filter((d) => d.file === undefined).map((d) => ({ level: LEVEL[d.severity], message: { text: d.message }, descriptor: { id: d.code } }));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'ambient-bench', version: options.version, semanticVersion: options.version,
          ...(options.informationUri ? { informationUri: options.informationUri } : {}),
          rules: codes.map((c) => rule(c, LEVEL[worst(c)])),
        },
      },
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: notes }],
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
