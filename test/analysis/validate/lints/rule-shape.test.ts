import { describe, expect, it } from 'vitest';
import { DEFAULT_MESH_CONFIG } from '../../../../src/model/cluster.js';
import type { Rule } from '../../../../src/model/policy.js';
import { allow, deny, policy } from '../../../support/builders.js';
import { lintCodes, lints } from './lint-fixtures.js';

const from: Rule = { from: [{ source: { namespaces: ['shop'] } }] };
const to: Rule = { to: [{ operation: { ports: ['8080'] } }] };
const path = (p: string): Rule => ({ to: [{ operation: { paths: [p] } }] });
const header = (v: string): Rule => ({ when: [{ key: 'request.headers[x-amount]', notValues: [v] }] });
const principal = (p: string): Rule => ({ from: [{ source: { principals: [p] } }] });

describe('policy-shape lints fire on the manifest that has the problem and not on its fix', () => {
  it.each([
    ['split-from-to-rules', 'rule 0 only from, rule 1 only to', [allow('pay/p', [from, to])], [allow('pay/p', [{ ...from, ...to }])]],
    ['split-from-to-rules', 'also in a DENY', [deny('pay/p', [to, from])], [deny('pay/p', [from, { ...to, when: [{ key: 'source.ip', values: ['10.0.0.1'] }] }])]],
    ['path-inner-wildcard', '"/api/*/admin"', [allow('pay/p', [path('/api/*/admin')], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] })], [allow('pay/p', [path('/api/{*}/admin')], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] })]],
    ['path-inner-wildcard', '"/a*b" inside a segment', [allow('pay/p', [path('/a*b')])], [allow('pay/p', [path('/ab*')])]],
    ['comparison-value', 'header notValues ">100"', [allow('pay/p', [header('>100')])], [allow('pay/p', [header('100')])]],
    ['comparison-value', 'header value ">=1024"', [allow('pay/p', [{ when: [{ key: 'request.headers[size]', values: ['>=1024'] }] }])], [allow('pay/p', [{ when: [{ key: 'request.headers[size]', values: ['1024'] }] }])]],
    ['comparison-value', 'header value "<5"', [allow('pay/p', [{ when: [{ key: 'request.headers[n]', values: ['<5'] }] }])], [allow('pay/p', [{ when: [{ key: 'request.headers[n]', values: ['<b>'] }] }])]],
    ['foreign-trust-domain', 'principal in example.org under cluster.local', [allow('pay/p', [principal('example.org/ns/shop/sa/web')])], [allow('pay/p', [principal('cluster.local/ns/shop/sa/web')])]],
    ['foreign-trust-domain', 'source.principal condition', [allow('pay/p', [{ when: [{ key: 'source.principal', values: ['other.td/ns/a/sa/b'] }] }])], [allow('pay/p', [{ when: [{ key: 'source.principal', values: ['*/ns/a/sa/b'] }] }])]],
  ] as const)('%s: %s', (code, _name, bad, good) => {
    expect(lintCodes(bad)).toContain(code);
    expect(lintCodes(good)).not.toContain(code);
  });

  it('points at the field: the literal "*" path with its line and column', () => {
    const p = policy('pay/p', { rules: [path('/api/*/admin')] });
    const located = { ...p, meta: { ...p.meta, positions: { 'spec.rules.0.to.0.operation.paths.0': [12, 20] as const } } };
    expect(lints([located])[0]).toMatchObject({ code: 'path-inner-wildcard', severity: 'warning', line: 12, column: 20, message: expect.stringContaining('"/api/{*}/admin"') });
  });

  describe('a custom trust domain (pitfall 10)', () => {
    const meshConfig = { ...DEFAULT_MESH_CONFIG, trustDomain: 'corp.example' };
    it.each([
      ['at ztunnel, cluster.local principals never match', allow('pay/p', [principal('cluster.local/ns/shop/sa/web')]), true],
      ['at a waypoint, Envoy rewrites cluster.local to the mesh trust domain', allow('pay/p', [principal('cluster.local/ns/shop/sa/web')], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] }), false],
      ['the mesh trust domain itself is fine', allow('pay/p', [principal('corp.example/ns/shop/sa/web')]), false],
    ] as const)('%s', (_name, p, fires) => {
      expect(lintCodes([p], { meshConfig }).includes('foreign-trust-domain')).toBe(fires);
    });
    // istiod expands aliases for Envoy only: trustdomain/bundle.go ReplaceTrustDomainAliases (via
    // security/authz/model/model.go); for ztunnel, ambient/authorization.go stringToMatch copies principals
    // as written and ztunnel src/rbac.rs compares them literally.
    const withAlias = { ...meshConfig, trustDomainAliases: ['old.td'] };
    const targetRefs = [{ kind: 'Service', group: '', name: 'api' }] as const;
    it('at a waypoint an alias is as good as the trust domain (bundle.go ReplaceTrustDomainAliases)', () => {
      expect(lintCodes([allow('pay/p', [principal('old.td/ns/a/sa/b')], { targetRefs })], { meshConfig: withAlias })).not.toContain('foreign-trust-domain');
    });
    it('at ztunnel an alias does not silence the lint: istiod does not expand aliases for ztunnel (ambient/authorization.go stringToMatch)', () => {
      const found = lints([allow('pay/p', [principal('old.td/ns/a/sa/b')])], { meshConfig: withAlias }).filter((d) => d.code === 'foreign-trust-domain');
      expect(found).toHaveLength(1);
      expect(found[0]?.message).toContain('does not expand aliases for ztunnel');
      expect(found[0]?.message).toContain('"corp.example/ns/a/sa/b"');
    });
  });
});
