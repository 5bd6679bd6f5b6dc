import { describe, expect, it } from 'vitest';
import { validateAuthorizationPolicy } from '../../../src/istiod/admission/validate-authorization-policy.js';
import { validatePeerAuthentication, validateRequestAuthentication } from '../../../src/istiod/admission/validate-peer-authentication.js';
import { DEFAULT_MESH_CONFIG } from '../../../src/model/cluster.js';
import type { AuthorizationPolicySpec, Rule } from '../../../src/model/policy.js';
import { peerAuthentication, policy } from '../../support/builders.js';

const errors = (spec: Partial<AuthorizationPolicySpec>) =>
  validateAuthorizationPolicy(policy('pay/p', spec), { meshConfig: { ...DEFAULT_MESH_CONFIG, extensionProviders: ['ext-authz'], extAuthzProviders: { 'ext-authz': 'http' } } }).filter((d) => d.severity === 'error').map((d) => d.code);
const rule = (r: Rule): Partial<AuthorizationPolicySpec> => ({ rules: [r] });

// istio/istio:pkg/config/validation/validation.go ValidateAuthorizationPolicy and pkg/config/security/security.go.
describe('validateAuthorizationPolicy() rejects what istiod rejects', () => {
  it.each([
    ['selector with targetRefs (ValidateAuthorizationPolicy)', { selector: { matchLabels: { a: 'b' } }, targetRefs: [{ kind: 'Service', group: '', name: 's' }] }, { targetRefs: [{ kind: 'Service', group: '', name: 's' }] }, 'selector-with-target-refs'],
    ['cross-namespace targetRef (validatePolicyTargetReference)', { targetRefs: [{ kind: 'Service', group: '', name: 's', namespace: 'other' }] }, { targetRefs: [{ kind: 'Service', group: '', name: 's' }] }, 'cross-namespace-target-ref'],
    ['targetRef kind not allowed', { targetRefs: [{ kind: 'Deployment', group: 'apps', name: 's' }] }, { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'wp' }] }, 'invalid-target-ref'],
    ['wildcard in selector (validateWorkloadSelector)', { selector: { matchLabels: { app: 'a*' } } }, { selector: { matchLabels: { app: 'a' } } }, 'invalid-selector'],
    ['DENY without rules', { action: 'DENY' }, { action: 'DENY', rules: [{}] }, 'deny-without-rules'],
    ['CUSTOM without provider', { action: 'CUSTOM', rules: [{}] }, { action: 'CUSTOM', rules: [{}], provider: { name: 'ext-authz' } }, 'custom-without-provider'],
    ['CUSTOM without rules', { action: 'CUSTOM', provider: { name: 'ext-authz' } }, { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{}] }, 'custom-without-rules'],
    ['provider on a non-CUSTOM policy', { action: 'ALLOW', provider: { name: 'ext-authz' } }, { action: 'ALLOW' }, 'provider-without-custom'],
    ['CUSTOM with identity fields', { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{ from: [{ source: { principals: ['a'] } }] }] }, { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{ from: [{ source: { ipBlocks: ['1.2.3.4'] } }] }] }, 'custom-identity-field'],
    ['an empty from list', rule({ from: [] }), rule({ from: [{ source: { namespaces: ['a'] } }] }), 'empty-from'],
    ['an empty to list', rule({ to: [] }), rule({ to: [{ operation: { ports: ['80'] } }] }), 'empty-to'],
    ['a from with an empty source', rule({ from: [{ source: {} }] }), rule({ from: [{ source: { namespaces: ['a'] } }] }), 'empty-source'],
    ['an empty operation', rule({ to: [{ operation: {} }] }), rule({ to: [{ operation: { methods: ['GET'] } }] }), 'empty-operation'],
    ['an empty string value', rule({ to: [{ operation: { methods: [''] } }] }), rule({ to: [{ operation: { methods: ['GET'] } }] }), 'empty-value'],
    ['serviceAccounts with namespaces (CheckServiceAccount)', rule({ from: [{ source: { serviceAccounts: ['a/b'], namespaces: ['a'] } }] }), rule({ from: [{ source: { serviceAccounts: ['a/b'] } }] }), 'service-accounts-with-identity'],
    ['serviceAccounts with a wildcard', rule({ from: [{ source: { serviceAccounts: ['a/*'] } }] }), rule({ from: [{ source: { serviceAccounts: ['b'] } }] }), 'invalid-service-account'],
    ['more than 16 serviceAccounts', rule({ from: [{ source: { serviceAccounts: Array.from({ length: 17 }, (_, i) => `sa${i}`) } }] }), rule({ from: [{ source: { serviceAccounts: Array.from({ length: 16 }, (_, i) => `sa${i}`) } }] }), 'too-many-service-accounts'],
    ['a /33 CIDR (ValidateIPs)', rule({ from: [{ source: { ipBlocks: ['10.0.0.0/33'] } }] }), rule({ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }] }), 'invalid-cidr'],
    ['source.ip "*" (ValidateIPs)', rule({ when: [{ key: 'source.ip', values: ['*'] }] }), rule({ when: [{ key: 'source.ip', values: ['10.0.0.1'] }] }), 'invalid-cidr'],
    ['a port comparison ">1024" (ValidatePorts)', rule({ to: [{ operation: { ports: ['>1024'] } }] }), rule({ to: [{ operation: { ports: ['1024'] } }] }), 'invalid-port'],
    ['a port above 65535', rule({ to: [{ operation: { ports: ['70000'] } }] }), rule({ to: [{ operation: { ports: ['65535'] } }] }), 'invalid-port'],
    ['destination.port that is not a number', rule({ when: [{ key: 'destination.port', values: ['http'] }] }), rule({ when: [{ key: 'destination.port', values: ['80'] }] }), 'invalid-port'],
    ['an unknown when key custom.time_of_day (ValidateAttribute)', rule({ when: [{ key: 'custom.time_of_day', values: ['9-17'] }] }), rule({ when: [{ key: 'request.headers[x-time]', values: ['9-17'] }] }), 'unknown-condition-key'],
    ['request.url_path is not an attribute', rule({ when: [{ key: 'request.url_path', values: ['/a'] }] }), rule({ when: [{ key: 'request.auth.principal', values: ['a/b'] }] }), 'unknown-condition-key'],
    ['request.headers without [name]', rule({ when: [{ key: 'request.headers', values: ['a'] }] }), rule({ when: [{ key: 'request.headers[a]', values: ['a'] }] }), 'invalid-condition-key'],
    ['destination.namespace is replaced', rule({ when: [{ key: 'destination.namespace', values: ['a'] }] }), rule({ when: [{ key: 'source.namespace', values: ['a'] }] }), 'unsupported-condition-key'],
    ['a when without values or notValues', rule({ when: [{ key: 'source.ip' }] }), rule({ when: [{ key: 'source.ip', notValues: ['1.2.3.4'] }] }), 'condition-without-values'],
    ['an empty when key', rule({ when: [{ key: '', values: ['a'] }] }), rule({ when: [{ key: 'connection.sni', values: ['a'] }] }), 'empty-condition-key'],
    ['a path template with a bad brace (CheckValidPathTemplate)', rule({ to: [{ operation: { paths: ['/a/{x}'] } }] }), rule({ to: [{ operation: { paths: ['/a/{*}'] } }] }), 'invalid-path-template'],
    ['an operator after {**}', rule({ to: [{ operation: { paths: ['/{**}/a/{*}'] } }] }), rule({ to: [{ operation: { paths: ['/api/{**}/admin'] } }] }), 'invalid-path-template'],
    ['{**} with extra characters', rule({ to: [{ operation: { paths: ['/{**}bar'] } }] }), rule({ to: [{ operation: { paths: ['/{**}'] } }] }), 'invalid-path-template'],
    ['a trust domain with "/" (CheckTrustDomainValues)', rule({ from: [{ source: { trustDomains: ['a/b'] } }] }), rule({ from: [{ source: { trustDomains: ['*.example.com'] } }] }), 'invalid-trust-domain'],
  ] as const)('%s', (_name, bad, good, code) => {
    expect(errors(bad as Partial<AuthorizationPolicySpec>)).toContain(code);
    expect(errors(good as Partial<AuthorizationPolicySpec>)).not.toContain(code);
  });

  it.each([
    ['"/api/*/admin" (a literal "*")', rule({ to: [{ operation: { paths: ['/api/*/admin'] } }] })],
    ['header value ">5" (a literal)', rule({ when: [{ key: 'request.headers[x]', values: ['>5'] }] })],
    ['allow-nothing (no rules)', {}],
  ])('accepts %s', (_n, spec) => {
    expect(errors(spec as Partial<AuthorizationPolicySpec>)).toEqual([]);
  });

  it('warns, without rejecting, on a DENY that only uses HTTP attributes ("will deny all TCP")', () => {
    const d = validateAuthorizationPolicy(policy('pay/p', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] }), { meshConfig: DEFAULT_MESH_CONFIG });
    expect(d.map((x) => [x.severity, x.code])).toEqual([['warning', 'deny-http-only']]);
  });

  it('locates the offending field with line and column from the loader\'s positions', () => {
    const p = policy('pay/p', rule({ to: [{ operation: { ports: ['>1024'] } }] }));
    const withPositions = { ...p, meta: { ...p.meta, positions: { 'spec.rules.0.to.0.operation.ports.0': [14, 21] as const } } };
    expect(validateAuthorizationPolicy(withPositions, { meshConfig: DEFAULT_MESH_CONFIG })[0]).toMatchObject({ file: 'fixture.yaml', line: 14, column: 21, object: 'AuthorizationPolicy pay/p' });
  });
});

// validation.go ValidatePeerAuthentication / ValidateRequestAuthentication.
describe('PeerAuthentication and RequestAuthentication validation', () => {
  it.each([
    ['portLevelMtls without a selector', peerAuthentication('pay/p', 'STRICT', { portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }), 'port-level-without-selector'],
    ['an empty portLevelMtls', peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: {} }), 'empty-port-level-mtls'],
    ['port 0', peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: { 0: { mode: 'PERMISSIVE' } } }), 'invalid-port'],
  ])('rejects %s', (_n, pa, code) => {
    expect(validatePeerAuthentication(pa).map((d) => d.code)).toContain(code);
  });
  it('accepts a workload PeerAuthentication with port-level modes', () => {
    expect(validatePeerAuthentication(peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }))).toEqual([]);
  });
  it('requires a JWT issuer and a valid jwksUri', () => {
    const ra = { kind: 'RequestAuthentication' as const, meta: policy('pay/r', {}).meta, spec: { jwtRules: [{ issuer: '', jwksUri: 'not a url' }] } };
    expect(validateRequestAuthentication(ra).map((d) => d.code).sort()).toEqual(['invalid-jwks-uri', 'missing-issuer']);
  });
});

describe('the rest of istiod\'s admission findings, each with the manifest that triggers it and its fix', () => {
  const codes = (spec: Partial<AuthorizationPolicySpec>) =>
    validateAuthorizationPolicy(policy('pay/p', spec), { meshConfig: { ...DEFAULT_MESH_CONFIG, extensionProviders: ['ext-authz'], extAuthzProviders: { 'ext-authz': 'http' } } }).map((d) => `${d.severity} ${d.code}`);
  it.each([
    ['error custom-identity-condition', { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{ when: [{ key: 'source.namespace', values: ['a'] }] }] }, { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{ when: [{ key: 'source.ip', values: ['10.0.0.1'] }] }] }],
    ['warning unknown-extension-provider', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] }, { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{}] }],
    ['warning empty-selector', { selector: { matchLabels: {} } }, { selector: { matchLabels: { app: 'a' } } }],
    ['warning deny-http-only', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin'] } }] }] }, { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin'], ports: ['8080'] } }] }] }],
  ] as const)('%s', (code, bad, good) => {
    expect(codes(bad as Partial<AuthorizationPolicySpec>)).toContain(code);
    expect(codes(good as Partial<AuthorizationPolicySpec>)).not.toContain(code);
  });

  it.each([
    ['port-level-without-selector', peerAuthentication('pay/p', 'STRICT', { portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }), peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } })],
    ['empty-port-level-mtls', peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: {} }), peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } } })],
    ['invalid-port', peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: { 70000: { mode: 'PERMISSIVE' } } }), peerAuthentication('pay/p', 'STRICT', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: { 65535: { mode: 'PERMISSIVE' } } })],
  ])('PeerAuthentication %s', (code, bad, good) => {
    expect(validatePeerAuthentication(bad).map((d) => d.code)).toContain(code);
    expect(validatePeerAuthentication(good).map((d) => d.code)).not.toContain(code);
  });

  const ra = (jwtRules: { issuer: string; jwksUri?: string }[]) => ({ kind: 'RequestAuthentication' as const, meta: policy('pay/r', {}).meta, spec: { jwtRules } });
  it.each([
    ['missing-issuer', ra([{ issuer: '' }]), ra([{ issuer: 'https://issuer' }])],
    ['invalid-jwks-uri', ra([{ issuer: 'i', jwksUri: 'ftp:/x' }]), ra([{ issuer: 'i', jwksUri: 'https://issuer/keys' }])],
  ])('RequestAuthentication %s', (code, bad, good) => {
    expect(validateRequestAuthentication(bad).map((d) => d.code)).toContain(code);
    expect(validateRequestAuthentication(good).map((d) => d.code)).not.toContain(code);
  });
});
