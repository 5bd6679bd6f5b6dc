import { describe, expect, it } from 'vitest';
import { allow, namespace, pod } from '../../../support/builders.js';
import { lintCodes, PAY } from './lint-fixtures.js';
import type { AuthorizationPolicy } from '../../../../src/model/cluster.js';

const sel = { selector: { matchLabels: { app: 'api' } } };
const legacy = [namespace('legacy'), pod('legacy/batch', '10.0.9.1')];
const annotated = (p: AuthorizationPolicy, value: string): AuthorizationPolicy => ({ ...p, meta: { ...p.meta, annotations: { 'galley.istio.io/analyze-suppress': value } } });
const identityOnly = allow('pay/p', [{ from: [{ source: { namespaces: ['shop'] } }] }], sel);

// istioctl analyze leaves out the message codes an object's galley.istio.io/analyze-suppress
// annotation names, comma-separated (istio/api annotation/annotations.yaml, GalleyAnalyzeSuppress).
describe('galley.istio.io/analyze-suppress', () => {
  it('leaves out the lints the annotation names on that object', () => {
    expect(lintCodes([...PAY, ...legacy, identityOnly])).toContain('identity-rules-exclude-plaintext');
    expect(lintCodes([...PAY, ...legacy, annotated(identityOnly, 'IST0101, identity-rules-exclude-plaintext')])).not.toContain('identity-rules-exclude-plaintext');
  });

  it('keeps every lint it does not name', () => {
    expect(lintCodes([...PAY, ...legacy, annotated(identityOnly, 'some-other-code')])).toContain('identity-rules-exclude-plaintext');
  });
});
