import type { Diagnostic } from '../model/diagnostic.js';
import type { SuggestReport } from '../model/suggestion.js';
import { policyManifest } from './suggest-manifest.js';
import { broaderText, noteText } from './suggest-notes.js';

/**
 * `suggest -o json`: every suggested policy with its evidence and its manifest, the notes (with their
 * message), existing rules broader than needed, the replay's figures and the input's diagnostics.
 */
export function renderSuggestionJson(report: SuggestReport, diagnostics: readonly Diagnostic[] = []): string {
  const s = report.suggestion;
  return `${JSON.stringify({
    schemaVersion: 1,
    at: s.at,
    observed: s.observed,
    admitted: s.admitted,
    policies: s.policies.map((p) => ({
      namespace: p.namespace, name: p.name, enforcedBy: p.enforcedBy, protects: p.protects, evidence: p.evidence,
      manifest: policyManifest(p),
    })),
    notes: s.notes.map((n) => ({ ...n, message: noteText(n) })),
    broader: report.broader.map((b) => ({ ...b, message: broaderText(b) })),
    replay: report.replay,
    diagnostics,
  }, null, 2)}\n`;
}
