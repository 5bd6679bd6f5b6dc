import { describe, expect, it } from 'vitest';
import { translateForZtunnel } from '../../../src/istiod/translate-for-ztunnel.js';
import { authorizeAtZtunnel, compileZtunnelAuthorization } from '../../../src/dataplane/authz/ztunnel-rbac.js';
import type { ConnectionAttributes } from '../../../src/dataplane/authz/types.js';
import type { Rule } from '../../../src/model/policy.js';
import { allow, deny, policy } from '../../support/builders.js';
import type { AuthorizationPolicy } from '../../../src/model/cluster.js';

const CTX = { rootNamespace: 'istio-system', istiodEnv: {} };
const compiled = (...ps: AuthorizationPolicy[]) => ps.map((p) => {
  const a = translateForZtunnel(p, CTX).authorization;
  if (!a) throw new Error('not sent to ztunnel');
  return compileZtunnelAuthorization(a);
});
const conn = (over: Partial<ConnectionAttributes> = {}): ConnectionAttributes => ({
  srcIdentity: 'spiffe://cluster.local/ns/shop/sa/client', srcIp: '10.0.1.1', dstIp: '10.0.2.1', dstPort: 8080, ...over,
});
const PLAIN = conn({ srcIdentity: null });
const verdictOf = (rules: readonly Rule[] | undefined, c: ConnectionAttributes, action: 'ALLOW' | 'DENY' = 'ALLOW') =>
  authorizeAtZtunnel(compiled(action === 'ALLOW' ? allow('pay/p', rules) : deny('pay/p', rules ?? [])), c).verdict;

// istio/ztunnel:src/rbac.rs Authorization::matches and tests rbac_empty_policy, rbac_nesting, rbac_multi_rule.
describe('ztunnel Authorization::matches (rbac.rs)', () => {
  it.each([
    ['no rules: an ALLOW with no groups never matches, so it denies everything (rbac_empty_policy)', undefined, conn(), 'deny'],
    ['rules: [{}]: a group with no clauses always matches (allow-all)', [{}], conn(), 'allow'],
    ['rules OR: the second rule matching is enough (rbac_multi_rule)', [{ from: [{ source: { namespaces: ['other'] } }] }, { from: [{ source: { namespaces: ['shop'] } }] }], conn(), 'allow'],
    ['clauses AND: from matches but to does not (rbac_nesting)', [{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { ports: ['9090'] } }] }], conn(), 'deny'],
    ['matches OR within from', [{ from: [{ source: { namespaces: ['x'] } }, { source: { principals: ['cluster.local/ns/shop/sa/client'] } }] }], conn(), 'allow'],
    ['fields AND within one source', [{ from: [{ source: { namespaces: ['shop'], ipBlocks: ['192.168.0.0/16'] } }] }], conn(), 'deny'],
    ['positive AND negative in one field', [{ from: [{ source: { namespaces: ['shop'], notNamespaces: ['shop'] } }] }], conn(), 'deny'],
  ] as const)('%s', (_n, rules, c, verdict) => {
    expect(verdictOf(rules as readonly Rule[] | undefined, c)).toBe(verdict);
  });
});

// authorization.go stringToMatch; rbac.rs StringMatch::matches (test string_match) and matches_principal.
describe('string forms and identities (stringToMatch, rbac.rs string_match)', () => {
  it.each([
    ['exact', 'cluster.local/ns/shop/sa/client', true],
    ['prefix*', 'cluster.local/ns/shop/*', true],
    ['*suffix', '*/sa/client', true],
    ['* is presence', '*', true],
    ['a*b is a literal, not a wildcard', 'cluster.local/*/sa/client', false],
    ['spiffe:// is stripped before comparing, so a spiffe:// principal never matches', 'spiffe://cluster.local/ns/shop/sa/client', false],
  ])('principals %s', (_n, principal, matches) => {
    expect(verdictOf([{ from: [{ source: { principals: [principal] } }] }], conn())).toBe(matches ? 'allow' : 'deny');
  });

  it.each([
    ['principals: ["*"] never matches plaintext (matches_principal)', [{ from: [{ source: { principals: ['*'] } }] }], 'deny'],
    ['namespaces never match plaintext (rbac.rs namespaces)', [{ from: [{ source: { namespaces: ['*'] } }] }], 'deny'],
    ['notNamespaces always match plaintext (rbac.rs not_namespaces)', [{ from: [{ source: { notNamespaces: ['shop'] } }] }], 'allow'],
    ['notPrincipals match plaintext', [{ from: [{ source: { notPrincipals: ['*'] } }] }], 'allow'],
    ['serviceAccounts never match plaintext', [{ from: [{ source: { serviceAccounts: ['shop/client'] } }] }], 'deny'],
    ['ipBlocks still match plaintext', [{ from: [{ source: { ipBlocks: ['10.0.0.0/16'] } }] }], 'allow'],
  ] as const)('%s', (_n, rules, verdict) => {
    expect(verdictOf(rules as readonly Rule[], PLAIN)).toBe(verdict);
  });

  it.each([
    ['a bare IPv4 is a /32', ['10.0.1.1'], '10.0.1.1', true],
    ['a bare IPv4 /32 does not match its neighbour', ['10.0.1.1'], '10.0.1.2', false],
    ['IPv4 CIDR', ['10.0.0.0/8'], '10.200.3.4', true],
    ['IPv6 CIDR', ['fd00::/8'], 'fd00::5', true],
    ['a bare IPv6 is a /128', ['fd00::5'], 'fd00::6', false],
    ['IPv4 rule does not match IPv6', ['10.0.0.0/8'], 'fd00::5', false],
    ['an invalid CIDR is dropped, leaving an empty Match that never matches (stringToIP)', ['10.0.0.0/33'], '10.0.0.1', false],
  ])('ipBlocks: %s', (_n, blocks, ip, matches) => {
    expect(verdictOf([{ from: [{ source: { ipBlocks: blocks } }] }], conn({ srcIp: ip }))).toBe(matches ? 'allow' : 'deny');
  });

  it('serviceAccounts "sa" means <policy namespace>/sa (stringToServiceAccountMatch)', () => {
    expect(authorizeAtZtunnel(compiled(allow('shop/p', [{ from: [{ source: { serviceAccounts: ['client'] } }] }])), conn()).verdict).toBe('allow');
    expect(authorizeAtZtunnel(compiled(allow('pay/p', [{ from: [{ source: { serviceAccounts: ['client'] } }] }])), conn()).verdict).toBe('deny');
    expect(authorizeAtZtunnel(compiled(allow('pay/p', [{ from: [{ source: { serviceAccounts: ['shop/client'] } }] }])), conn()).verdict).toBe('allow');
  });
});

// istio/ztunnel:src/state.rs assert_rbac; test assert_rbac_logic_deny_allow.
describe('assert_rbac order (state.rs)', () => {
  const anyone: Rule[] = [{}];
  it('DENY beats ALLOW', () => {
    const d = authorizeAtZtunnel(compiled(allow('pay/a', anyone), deny('pay/d', anyone)), conn());
    expect(d).toMatchObject({ verdict: 'deny', reason: 'deny-policy-matched', policy: 'pay/d', rule: 0 });
  });
  it('no ALLOW policy: allow, with no deciding policy', () => {
    expect(authorizeAtZtunnel(compiled(deny('pay/d', [{ from: [{ source: { namespaces: ['x'] } }] }])), conn())).toMatchObject({ verdict: 'allow', reason: 'no-allow-policies', policy: null });
  });
  it('an ALLOW match allows and names policy and rule', () => {
    expect(authorizeAtZtunnel(compiled(allow('pay/a', [{ from: [{ source: { namespaces: ['x'] } }] }, {}])), conn())).toMatchObject({ verdict: 'allow', policy: 'pay/a', rule: 1 });
  });
  it('ALLOW policies and none matches: deny with the nearest miss', () => {
    const d = authorizeAtZtunnel(compiled(allow('pay/a', [{ from: [{ source: { principals: ['cluster.local/ns/orders/sa/checkout'] } }] }])), conn());
    expect(d).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched', policy: null, rule: null });
    expect(d.evaluations[0]?.nearMiss).toEqual({ rule: 0, field: 'from.source.principals', expected: ['cluster.local/ns/orders/sa/checkout'], actual: 'cluster.local/ns/shop/sa/client' });
  });
  it('the first matching DENY in ztunnel\'s order is the one reported', () => {
    expect(authorizeAtZtunnel(compiled(deny('pay/first', anyone), deny('pay/second', anyone)), conn()).policy).toBe('pay/first');
  });
  it('dry-run policies are reported but never enforced (AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY)', () => {
    const p = policy('pay/dry', { action: 'DENY', rules: anyone }, { 'istio.io/dry-run': 'true' });
    const a = translateForZtunnel(p, { ...CTX, istiodEnv: { AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY: 'true' } }).authorization;
    const d = authorizeAtZtunnel([compileZtunnelAuthorization(a!)], conn());
    expect(d).toMatchObject({ verdict: 'allow', reason: 'no-allow-policies' });
    expect(d.evaluations[0]).toMatchObject({ policy: 'pay/dry', matched: true, notEnforced: 'dry-run' });
  });
});
