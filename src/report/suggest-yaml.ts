import { Document, isMap, isSeq } from 'yaml';
import type { SuggestedPolicy, SuggestReport } from '../model/suggestion.js';
import { escapeText } from './escape-text.js';
import { policyManifest } from './suggest-manifest.js';
import { broaderText, noteText, replayText } from './suggest-notes.js';

/**
 * `suggest -o yaml`: the suggested AuthorizationPolicies as multi-document YAML that `kubectl apply`
 * and `validate` take, each preceded by a comment with its evidence (flows, sources, first and last
 * seen), rules with a reason commented; notes, the replay's figures and broader existing rules as
 * comments first. Values from the input in comments are escaped (escapeText), so none can end a comment.
 */
export function renderSuggestionYaml(report: SuggestReport): string {
  const header = headerLines(report).map((l) => `# ${escapeText(l)}`).join('\n');
  const body = renderPolicyDocuments(report.suggestion.policies);
  return `${header}\n${body !== '' ? body : '# no policy to suggest: none of the observed flows needs an ALLOW policy to be admitted (the notes above say why)\n'}`;
}

/** The policies alone, as the YAML documents `renderSuggestionYaml` writes (what the replay loads). */
export function renderPolicyDocuments(policies: readonly SuggestedPolicy[]): string {
  return policies.map((p) => policyDocument(p).toString({ lineWidth: 0 })).join('---\n');
}

function headerLines(report: SuggestReport): string[] {
  const s = report.suggestion;
  const lines = [
    `AuthorizationPolicies suggested by ambient-bench from ${s.observed} observed flow(s), ${s.admitted} of them admitted (--at ${s.at})`,
    ...replayText(report.replay),
  ];
  for (const note of s.notes) lines.push(`note: ${noteText(note)}`);
  // A rule no flow needed is unused; one that admitted flows while naming no source or operation is broader than they needed.
  for (const rule of report.broader) lines.push(`${rule.why === 'no-flow-hit' || rule.why === 'dropped-for-ztunnel' ? 'unused' : 'broader than needed'}: ${broaderText(rule)}`);
  return lines;
}

function policyDocument(policy: SuggestedPolicy): Document {
  const doc = new Document(policyManifest(policy));
  const e = policy.evidence;
  const where = policy.enforcedBy === 'ztunnel' ? `at the destination ztunnel of ${policy.protects.join(', ')}` : `at the waypoint, for ${policy.targetRef?.kind} ${policy.protects.join(', ')}`;
  doc.commentBefore = [
    ` ${where}`,
    ` evidence: ${e.flows} flow(s) from ${e.sources.length} source(s): ${e.sources.join(', ')}`,
    ` first seen ${e.firstSeen}s, last seen ${e.lastSeen}s`,
    ...(policy.suppress ? [` ${policy.suppress.codes.join(', ')} not reported: ${policy.suppress.why}`] : []),
  ].map(escapeText).join('\n');
  const rules = doc.getIn(['spec', 'rules'], true);
  if (isSeq(rules)) {
    policy.rules.forEach((rule, i) => {
      const node = rules.items[i];
      if (rule.why && isMap(node)) node.commentBefore = ` ${escapeText(rule.why)}`;
    });
  }
  return doc;
}
