import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../src/model/policy.js';
import { validateManifests } from '../../../../src/analysis/validate/validate-manifests.js';
import { allow, cluster, deny, policy } from '../../../support/builders.js';
import { lintCodes, lints, PAY } from './lint-fixtures.js';

const sel = { selector: { matchLabels: { app: 'api' } } };
const svcRef = { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] };
const get: Rule = { to: [{ operation: { methods: ['GET'] } }] };
const fromShop: Rule = { from: [{ source: { namespaces: ['shop'] } }] };
const port: Rule = { to: [{ operation: { ports: ['8080'] } }] };
const postOn8080: Rule = { to: [{ operation: { methods: ['POST'], ports: ['8080'] } }] };

// Semantics §2 (authorization.go handleRule) and pitfalls 2, 3 and 8.
describe('lints on what istiod sends to ztunnel fire on the manifest that has the problem and not on its fix', () => {
  it.each([
    ['ztunnel-allow-http-rule', 'ALLOW rule with methods', [allow('pay/p', [get], sel)], [allow('pay/p', [get], svcRef)]],
    ['ztunnel-allow-http-rule', 'ALLOW rule with an HTTP when key', [allow('pay/p', [{ when: [{ key: 'request.headers[x]', values: ['a'] }] }])], [allow('pay/p', [{ when: [{ key: 'source.ip', values: ['10.0.0.0/8'] }] }])]],
    ['ztunnel-allow-http-rule', 'ALLOW rule with requestPrincipals', [allow('pay/p', [{ from: [{ source: { requestPrincipals: ['*'] } }] }], sel)], [allow('pay/p', [fromShop], sel)]],
    ['ztunnel-deny-http-no-op', 'DENY with only methods', [deny('pay/p', [get], sel)], [deny('pay/p', [get], svcRef)]],
    ['ztunnel-deny-http-no-op', 'DENY with L4 from and HTTP-only to', [deny('pay/p', [{ ...fromShop, ...get }], sel)], [deny('pay/p', [{ ...fromShop, ...port }], sel)]],
    ['ztunnel-deny-over-denies', 'DENY with methods and ports in one operation', [deny('pay/p', [postOn8080], sel)], [deny('pay/p', [port], sel)]],
    ['ztunnel-unenforced-action', 'CUSTOM with a selector', [policy('pay/p', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}], ...sel })], [policy('pay/p', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}], ...svcRef })]],
    ['ztunnel-unenforced-action', 'AUDIT namespace-wide', [policy('pay/p', { action: 'AUDIT', rules: [{}] })], [policy('pay/p', { action: 'AUDIT', rules: [{}], targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] })]],
    ['ztunnel-dry-run-ignored', 'dry-run ALLOW with a selector', [policy('pay/p', { rules: [fromShop], ...sel }, { 'istio.io/dry-run': 'true' })], [policy('pay/p', { rules: [fromShop], ...sel }, { 'istio.io/dry-run': 'false' })]],
  ] as const)('%s: %s', (code, _name, bad, good) => {
    expect(lintCodes([...PAY, ...bad])).toContain(code);
    expect(lintCodes([...PAY, ...good])).not.toContain(code);
  });

  it('a dry-run policy is linted only while AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY is off', () => {
    const p = policy('pay/p', { rules: [fromShop], ...sel }, { 'istio.io/dry-run': 'true' });
    expect(lintCodes([p], { istiodEnv: { AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY: 'true' } })).not.toContain('ztunnel-dry-run-ignored');
  });

  describe('ztunnel-allow-http-rule says what the compiled policy does', () => {
    const message = (objects: Parameters<typeof lints>[0]) => lints(objects).find((d) => d.code === 'ztunnel-allow-http-rule')?.message;

    it('every rule dropped and no other ALLOW: the policy denies every connection to its workloads', () => {
      expect(message([...PAY, allow('pay/p', [get], sel)])).toContain('rule 0 uses HTTP attributes (methods)');
      expect(message([...PAY, allow('pay/p', [get], sel)])).toContain('policy pay/p denies every connection to workloads app=api in pay');
    });
    it('every rule dropped beside another ALLOW: it allows nothing itself', () => {
      expect(message([...PAY, allow('pay/p', [get], sel), allow('pay/other', [fromShop])])).toContain('allows nothing at ztunnel: connections to workloads app=api in pay are denied unless another ALLOW policy allows them');
    });
    it('some rules kept: names them', () => {
      expect(message([...PAY, allow('pay/p', [fromShop, get, port], sel)])).toContain('the policy still allows what rules 0 and 2 allow');
    });
    it('an HTTP-only ALLOW in the root namespace is a mesh-wide allow-nothing', () => {
      expect(message([...PAY, allow('istio-system/p', [get])])).toContain('denies every connection to every workload in the mesh');
    });
  });

  it('replaces istiod\'s status notes for the same finding', () => {
    const codes = validateManifests(cluster([...PAY, allow('pay/p', [get], sel), policy('pay/c', { action: 'AUDIT', rules: [{}] })])).diagnostics.map((d) => d.code);
    expect(codes.sort()).toEqual(['ztunnel-allow-http-rule', 'ztunnel-unenforced-action']);
  });
});
