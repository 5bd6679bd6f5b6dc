import { describe, expect, it } from 'vitest';
import { translateForZtunnel } from '../../src/istiod/translate-for-ztunnel.js';
import { authorizeAtZtunnel, compileZtunnelAuthorization } from '../../src/dataplane/authz/ztunnel-rbac.js';
import type { Rule } from '../../src/model/policy.js';
import { allow, deny, policy } from '../support/builders.js';

const CTX = { rootNamespace: 'istio-system', istiodEnv: {} };
const CONN = { srcIdentity: 'spiffe://cluster.local/ns/shop/sa/client', srcIp: '10.0.1.1', dstIp: '10.0.2.1', dstPort: 8080 };

// istio/istio:pilot/pkg/serviceregistry/ambient/authorization.go convertAuthorizationPolicy / handleRule;
// testdata allow-full*.yaml, deny-groups*.yaml.
describe('translateForZtunnel() is istiod\'s convertAuthorizationPolicy', () => {
  it.each([
    ['targetRefs policies are not sent ("TargetRef is not intended for ztunnel")', allow('pay/p', [{}], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] }), null],
    ['AUDIT is not sent ("ztunnel does not support the AUDIT action")', policy('pay/p', { action: 'AUDIT', rules: [{}] }), null],
    ['CUSTOM is not sent', policy('pay/p', { action: 'CUSTOM', rules: [{}], provider: { name: 'ext' } }), null],
    ['dry-run is dropped by default', policy('pay/p', { action: 'DENY', rules: [{}] }, { 'istio.io/dry-run': 'true' }), null],
  ])('%s', (_n, p, expected) => {
    expect(translateForZtunnel(p, CTX).authorization).toBe(expected);
  });

  it.each([
    ['no selector in a namespace: NAMESPACE', allow('pay/p', [{}]), 'NAMESPACE'],
    ['no selector in the root namespace: GLOBAL', allow('istio-system/p', [{}]), 'GLOBAL'],
    ['a selector: WORKLOAD_SELECTOR', allow('pay/p', [{}], { selector: { matchLabels: { app: 'api' } } }), 'WORKLOAD_SELECTOR'],
    ['an empty selector is still WORKLOAD_SELECTOR (pol.GetSelector() == nil)', allow('pay/p', [{}], { selector: { matchLabels: {} } }), 'WORKLOAD_SELECTOR'],
  ])('scope: %s', (_n, p, scope) => {
    expect(translateForZtunnel(p, CTX).authorization?.scope).toBe(scope);
  });

  const http: [string, Rule][] = [
    ['methods', { to: [{ operation: { methods: ['GET'] } }] }],
    ['paths', { to: [{ operation: { paths: ['/a'] } }] }],
    ['hosts', { to: [{ operation: { hosts: ['a.com'] } }] }],
    ['notMethods', { to: [{ operation: { notMethods: ['GET'] } }] }],
    ['requestPrincipals', { from: [{ source: { requestPrincipals: ['*'] } }] }],
    ['remoteIpBlocks', { from: [{ source: { remoteIpBlocks: ['1.2.3.4'] } }] }],
    ['trustDomains (newest istiod: httpSources)', { from: [{ source: { trustDomains: ['td'] } }] }],
    ['request.headers when-key', { when: [{ key: 'request.headers[x]', values: ['y'] }] }],
    ['source.serviceAccount when-key (not in l4WhenAttributes)', { when: [{ key: 'source.serviceAccount', values: ['shop/client'] }] }],
  ];
  it.each(http)('an ALLOW rule using %s is dropped whole, L4 parts included (handleRule "L7 policies never match for ALLOW")', (_n, rule) => {
    const withL4: Rule = { ...rule, from: [...(rule.from ?? []).map((f) => ({ source: { ...f.source, namespaces: ['shop'] } })), ...(rule.from ? [] : [{ source: { namespaces: ['shop'] } }])] };
    const t = translateForZtunnel(allow('pay/p', [withL4, { from: [{ source: { namespaces: ['other'] } }] }]), CTX);
    expect(t.authorization?.groups.map((g) => g.ruleIndex)).toEqual([1]);
    expect(t.authorization?.droppedRules).toEqual([0]);
    expect(t.notes[0]?.code).toBe('ztunnel-http-attributes');
    expect(authorizeAtZtunnel([compileZtunnelAuthorization(t.authorization!)], CONN).verdict).toBe('deny');
  });

  it('a policy whose every rule is dropped keeps no groups and denies everything (TestAuthorizationL7 without waypoint)', () => {
    const t = translateForZtunnel(allow('pay/p', [{ to: [{ operation: { methods: ['GET'] } }] }]), CTX);
    expect(t.authorization?.groups).toEqual([]);
    expect(authorizeAtZtunnel([compileZtunnelAuthorization(t.authorization!)], CONN)).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched' });
  });

  it.each([
    ['an HTTP-only DENY operation is a no-op (empty Match never matches; fix for istio#61126)', { to: [{ operation: { methods: ['POST'] } }] }, 'allow'],
    ['an HTTP-only DENY when is a no-op', { when: [{ key: 'request.headers[x]', values: ['y'] }] }, 'allow'],
    ['DENY with methods and ports in one operation fires on the port alone ("more restrictive than requested")', { to: [{ operation: { methods: ['POST'], ports: ['8080'] } }] }, 'deny'],
    ['DENY with HTTP source fields and a namespace fires on the namespace alone', { from: [{ source: { requestPrincipals: ['*'], namespaces: ['shop'] } }] }, 'deny'],
  ])('%s', (_n, rule, verdict) => {
    const t = translateForZtunnel(deny('pay/d', [rule as Rule]), CTX);
    expect(authorizeAtZtunnel([compileZtunnelAuthorization(t.authorization!)], CONN).verdict).toBe(verdict);
  });

  it.each([
    ['source.ip', '10.0.1.0/24', true], ['source.namespace', 'shop', true], ['source.principal', 'cluster.local/ns/shop/sa/client', true],
    ['destination.ip', '10.0.2.1', true], ['destination.port', '8080', true], ['destination.port', '9090', false],
  ])('when %s = %s is an L4 condition (l4WhenAttributes)', (key, value, matches) => {
    const t = translateForZtunnel(allow('pay/p', [{ when: [{ key, values: [value] }] }]), CTX);
    expect(t.authorization?.droppedRules).toEqual([]);
    expect(authorizeAtZtunnel([compileZtunnelAuthorization(t.authorization!)], CONN).verdict).toBe(matches ? 'allow' : 'deny');
  });

  it('notValues of an L4 when-key become the negative field', () => {
    const t = translateForZtunnel(allow('pay/p', [{ when: [{ key: 'source.namespace', notValues: ['shop'] }] }]), CTX);
    expect(authorizeAtZtunnel([compileZtunnelAuthorization(t.authorization!)], CONN).verdict).toBe('deny');
  });
});
