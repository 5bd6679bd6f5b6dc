import { describe, expect, it } from 'vitest';
import { allow, namespace, pod } from '../../../support/builders.js';
import { lintCodes, lints, PAY } from './lint-fixtures.js';

const sel = { selector: { matchLabels: { app: 'api' } } };
const legacy = [namespace('legacy'), pod('legacy/batch', '10.0.9.1')];

// Pitfall 5: plaintext peers have no identity (semantics §7, §8).
describe('identity-rules-exclude-plaintext', () => {
  it.each([
    ['namespaces rules while an out-of-mesh workload exists', [...PAY, ...legacy, allow('pay/p', [{ from: [{ source: { namespaces: ['shop'] } }] }], sel)], [...PAY, allow('pay/p', [{ from: [{ source: { namespaces: ['shop'] } }] }], sel)]],
    ['principals in a when condition', [...PAY, ...legacy, allow('pay/p', [{ when: [{ key: 'source.principal', values: ['cluster.local/ns/shop/sa/web'] }] }], sel)], [...PAY, ...legacy, allow('pay/p', [{ when: [{ key: 'source.principal', values: ['cluster.local/ns/shop/sa/web'] }] }, { from: [{ source: { ipBlocks: ['10.0.9.0/24'] } }] }], sel)]],
    ['serviceAccounts', [...PAY, ...legacy, allow('pay/p', [{ from: [{ source: { serviceAccounts: ['shop/web'] } }] }], sel)], [...PAY, ...legacy, allow('pay/p', [{ from: [{ source: { notNamespaces: ['shop'] } }] }], sel)]],
  ] as const)('%s', (_name, bad, good) => {
    expect(lintCodes(bad)).toContain('identity-rules-exclude-plaintext');
    expect(lintCodes(good)).not.toContain('identity-rules-exclude-plaintext');
  });

  it('names the out-of-mesh workloads', () => {
    const d = lints([...PAY, ...legacy, allow('pay/p', [{ from: [{ source: { namespaces: ['shop'] } }] }], sel)]).find((x) => x.code === 'identity-rules-exclude-plaintext');
    expect(d?.message).toContain('1 workload outside the mesh (legacy/batch)');
  });
});
