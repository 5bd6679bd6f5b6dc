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

// Which AuthorizationPolicy keys istiod treats as HTTP-only when translating for ztunnel:
// istio/istio pilot/pkg/serviceregistry/ambient/authorization.go `httpOperations`, `httpSources`
// (trustDomains in the newest istiod) and `l4WhenAttributes` (every other when-key), in `handleRule`.
describe('translateForZtunnel() treats exactly the keys istiod does as HTTP-only (handleRule)', () => {
  const httpOnly: [string, Rule][] = [
    ...(['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const)
      .map((k): [string, Rule] => [`operation.${k} (httpOperations)`, { to: [{ operation: { [k]: k.toLowerCase().includes('host') ? ['a.com'] : k.toLowerCase().includes('method') ? ['GET'] : ['/a'] } }] }]),
    ...(['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals', 'trustDomains', 'notTrustDomains'] as const)
      .map((k): [string, Rule] => [`source.${k} (httpSources)`, { from: [{ source: { [k]: k.toLowerCase().includes('ip') ? ['1.2.3.4'] : ['x'] } }] }]),
    ...['request.headers[x-env]', 'remote.ip', 'source.serviceAccount', 'source.trustDomain', 'request.auth.principal', 'request.auth.audiences',
      'request.auth.presenter', 'request.auth.claims[groups]', 'connection.sni', 'experimental.envoy.filters.network.mysql_proxy[db.table]']
      .map((key): [string, Rule] => [`when ${key} (not in l4WhenAttributes)`, { when: [{ key, values: [key === 'remote.ip' ? '10.0.1.1' : 'shop/client'] }] }]),
  ];

  it.each(httpOnly)('%s is reported by name and drops its ALLOW rule', (_name, rule) => {
    const t = translateForZtunnel(allow('pay/p', [rule]), CTX);
    expect(t.authorization?.droppedRules).toEqual([0]);
    expect(t.authorization?.groups).toEqual([]);
    const found = /\(found: ([^)]*)\)/.exec(t.notes[0]?.message ?? '')?.[1];
    expect(found).toBe(rule.when?.[0]?.key ?? Object.keys(rule.to?.[0]?.operation ?? rule.from?.[0]?.source ?? {})[0]);
  });

  const l4: [string, Rule, boolean][] = [
    ['operation.ports', { to: [{ operation: { ports: ['8080'] } }] }, true],
    ['operation.notPorts', { to: [{ operation: { notPorts: ['8080'] } }] }, false],
    ['source.principals', { from: [{ source: { principals: ['cluster.local/ns/shop/sa/client'] } }] }, true],
    ['source.notPrincipals', { from: [{ source: { notPrincipals: ['cluster.local/ns/shop/sa/client'] } }] }, false],
    ['source.namespaces', { from: [{ source: { namespaces: ['shop'] } }] }, true],
    ['source.notNamespaces', { from: [{ source: { notNamespaces: ['shop'] } }] }, false],
    ['source.serviceAccounts (stringToServiceAccountMatch)', { from: [{ source: { serviceAccounts: ['shop/client'] } }] }, true],
    ['source.notServiceAccounts', { from: [{ source: { notServiceAccounts: ['shop/client'] } }] }, false],
    ['source.ipBlocks', { from: [{ source: { ipBlocks: ['10.0.1.0/24'] } }] }, true],
    ['source.notIpBlocks', { from: [{ source: { notIpBlocks: ['10.0.1.0/24'] } }] }, false],
  ];

  it.each(l4)('%s is an L4 field ztunnel enforces', (_name, rule, matches) => {
    const t = translateForZtunnel(allow('pay/p', [rule]), CTX);
    expect(t.notes).toEqual([]);
    expect(t.authorization?.droppedRules).toEqual([]);
    expect(authorizeAtZtunnel([compileZtunnelAuthorization(t.authorization!)], CONN).verdict).toBe(matches ? 'allow' : 'deny');
  });

  it.each<[string, 'ALLOW' | 'DENY', Rule, RegExp]>([
    ['an ALLOW with HTTP attributes', 'ALLOW', { to: [{ operation: { methods: ['GET'] } }] }, /Within an ALLOW policy, rules matching HTTP attributes are omitted\. This will be more restrictive than requested\.$/],
    ['a DENY whose rules keep an L4 field', 'DENY', { to: [{ operation: { methods: ['GET'], ports: ['8080'] } }] }, /DENY policy with HTTP attributes is enforced without the HTTP rules\. This will be more restrictive than requested\.$/],
    ['a DENY left with no enforceable rule (hasEffectiveRules)', 'DENY', { when: [{ key: 'connection.sni', values: ['a.com'] }] }, /this DENY policy has no enforceable rules at ztunnel and will have no effect\. Deploy a waypoint proxy and use a targetRef to enforce this policy\.$/],
  ])('says what istiod\'s status says for %s (convertAuthorizationPolicy boilerplates)', (_name, action, rule, message) => {
    const t = translateForZtunnel(action === 'ALLOW' ? allow('pay/p', [rule]) : deny('pay/p', [rule]), CTX);
    expect(t.notes[0]?.message).toMatch(message);
  });
});
