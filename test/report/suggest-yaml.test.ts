import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderSuggestionJson } from '../../src/report/suggest-json.js';
import { renderPolicyDocuments, renderSuggestionYaml } from '../../src/report/suggest-yaml.js';
import type { SuggestedPolicy, SuggestReport } from '../../src/model/suggestion.js';

const hostile = 'shop/web\n---\nkind: Secret\u202e';

const policy: SuggestedPolicy = {
  namespace: 'shop', name: 'cart-ztunnel', enforcedBy: 'ztunnel', selector: { app: 'cart' }, protects: ['shop/cart-0'],
  rules: [
    { from: [{ principals: ['cluster.local/ns/shop/sa/web'] }], to: [{ ports: ['8080'] }] },
    { from: [{ ipBlocks: ['10.0.2.1/32'] }], to: [{ ports: ['8080'] }], why: 'plaintext clients have no principal' },
  ],
  evidence: { flows: 2, sources: [hostile, '10.0.2.1'], firstSeen: 0.5, lastSeen: 3 },
  suppress: { codes: ['identity-rules-exclude-plaintext'], why: 'none seen' },
};

const report: SuggestReport = {
  suggestion: { at: 'auto', policies: [policy], notes: [{ kind: 'plaintext-clients', destination: 'shop/cart', clients: [hostile], flows: 1 }], admitted: 2, observed: 3 },
  replay: {
    observed: { flows: 2, allowed: 2, denied: [] },
    nearMisses: { flows: 4, denied: 3, allowed: ['near-miss-path-4'], byKind: { principal: { flows: 1, denied: 1 }, port: { flows: 1, denied: 1 }, method: { flows: 1, denied: 1 }, path: { flows: 1, denied: 0 } }, list: [] },
    validation: [], agrees: true,
  },
  broader: [{ policy: 'shop/old', rule: 1, enforcedBy: 'ztunnel', why: 'no-flow-hit' }],
};

describe('renderSuggestionYaml()', () => {
  it('writes one AuthorizationPolicy document per policy, with the evidence as comments, that parses back to the same objects', () => {
    const text = renderSuggestionYaml(report);
    const docs = parseAllDocuments(text);
    expect(docs.map((d) => d.errors)).toEqual([[]]);
    expect(docs.map((d) => d.toJS())).toEqual([{
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy',
      metadata: { name: 'cart-ztunnel', namespace: 'shop', annotations: { 'galley.istio.io/analyze-suppress': 'identity-rules-exclude-plaintext' } },
      spec: {
        selector: { matchLabels: { app: 'cart' } }, action: 'ALLOW',
        rules: [
          { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] },
          { from: [{ source: { ipBlocks: ['10.0.2.1/32'] } }], to: [{ operation: { ports: ['8080'] } }] },
        ],
      },
    }]);
    expect(text).toContain('# evidence: 2 flow(s) from 2 source(s)');
    expect(text).toContain('# first seen 0.5s, last seen 3s');
    expect(text).toContain('# plaintext clients have no principal');
    expect(text).toContain('# near misses: 3/4 denied (principal 1/1, port 1/1, method 1/1, path 0/1)');
    expect(text).toContain('# unused: existing shop/old rule 1 (ztunnel): no observed flow needed it');
  });

  it('escapes input values in comments, so none can end a comment or start a document', () => {
    const text = renderSuggestionYaml(report);
    expect(text).not.toContain('\u202e');
    expect(text).toContain('shop/web\\x0a---\\x0akind: Secret\\u202e');
    for (const line of text.split('\n')) expect(line).not.toMatch(/^kind: Secret/);
  });

  it('writes the policies alone for the replay, without the header', () => {
    expect(renderPolicyDocuments([policy]).startsWith('# at the destination ztunnel of shop/cart-0')).toBe(true);
    expect(renderPolicyDocuments([])).toBe('');
  });
});

describe('renderSuggestionJson()', () => {
  it('lists every policy with its evidence and manifest, the notes with their message, and the replay', () => {
    const json = JSON.parse(renderSuggestionJson(report));
    expect(json).toMatchObject({ schemaVersion: 1, at: 'auto', observed: 3, admitted: 2, replay: { agrees: true } });
    expect(json.policies[0]).toMatchObject({ name: 'cart-ztunnel', enforcedBy: 'ztunnel', manifest: { kind: 'AuthorizationPolicy' }, evidence: { flows: 2 } });
    expect(json.notes[0].message).toContain('no principal');
    expect(json.broader[0].message).toContain('no observed flow needed it');
  });
});
