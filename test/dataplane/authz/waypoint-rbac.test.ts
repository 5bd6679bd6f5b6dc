import { describe, expect, it } from 'vitest';
import { authorizeAtWaypoint, compileWaypointAuthorization } from '../../../src/dataplane/authz/waypoint-rbac.js';
import type { RequestAttributes } from '../../../src/dataplane/authz/types.js';
import type { WaypointAuthorization } from '../../../src/model/mesh.js';
import type { AuthorizationAction, Rule } from '../../../src/model/policy.js';

const MESH = { trustDomain: 'cluster.local', trustDomainAliases: [] as string[], extAuthzProviders: { 'ext-http': 'http', 'ext-grpc': 'grpc' } as Record<string, 'http' | 'grpc'> };
function wp(action: AuthorizationAction, rules: Rule[], extra: Partial<WaypointAuthorization> = {}): WaypointAuthorization {
  return { key: `pay/${action.toLowerCase()}`, ref: { kind: 'AuthorizationPolicy', namespace: 'pay', name: action.toLowerCase() }, source: { file: 'f', document: 0, line: 1 }, action, rules, bindings: [{ kind: 'Gateway', waypoint: 'pay/wp' }], dryRun: false, ...extra };
}
const req = (http?: Partial<NonNullable<RequestAttributes['http']>>, over: Partial<RequestAttributes> = {}): RequestAttributes => ({
  srcIdentity: 'spiffe://cluster.local/ns/shop/sa/client', srcIp: '10.0.1.1', dstIp: '10.96.0.10', dstPort: 80,
  http: http ? { method: 'GET', path: '/', headers: {}, ...http } : undefined, ...over,
});
const decide = (ps: WaypointAuthorization[], r: RequestAttributes, mesh = MESH) => authorizeAtWaypoint(ps.map(compileWaypointAuthorization), r, mesh);
const allowsPath = (paths: string[], path: string) => decide([wp('ALLOW', [{ to: [{ operation: { paths } }] }])], req({ path })).verdict === 'allow';

// istio/istio:pilot/pkg/security/authz/model/generator.go pathGenerator, matcher/string.go; Envoy uri_template.
describe('waypoint path matching', () => {
  it.each([
    [['/api'], '/api', true], [['/api'], '/api/', false], [['/api/*'], '/api/x/y', true], [['*/admin'], '/x/admin', true],
    [['*'], '/anything', true], [['/api/*/admin'], '/api/x/admin', false], [['/api/*/admin'], '/api/*/admin', true],
    [['/api/{*}/items'], '/api/v1/items', true], [['/api/{*}/items'], '/api/v1/v2/items', false], [['/api/{**}'], '/api/a/b/c', true],
    [['/api/{**}/admin'], '/api/a/b/admin', true], [['/api'], '/api?x=1', true],
  ])('paths %j vs %s -> %s', (paths, path, ok) => {
    expect(allowsPath(paths, path)).toBe(ok);
  });
});

describe('waypoint request attributes (Envoy RBAC via pilot/pkg/security/authz/builder)', () => {
  // pilot/pkg/security/authz/matcher/header.go HostMatcher (the string forms, ignore_case) on
  // :authority, model/generator.go hostGenerator; no port stripping on sidecar or waypoint listeners.
  it('hosts match the whole :authority case-insensitively, port included', () => {
    const p = [wp('ALLOW', [{ to: [{ operation: { hosts: ['api.pay.svc.cluster.local'] } }] }])];
    expect(decide(p, req({ host: 'API.pay.svc.cluster.local' })).verdict).toBe('allow');
    expect(decide(p, req({ host: 'api.pay.svc.cluster.local:80' })).verdict).toBe('deny');
    expect(decide(p, req({ host: 'other' })).verdict).toBe('deny');
    const withPort = [wp('ALLOW', [{ to: [{ operation: { hosts: ['api.pay.svc.cluster.local:80', 'web.pay:*'] } }] }])];
    expect(decide(withPort, req({ host: 'api.pay.svc.cluster.local:80' })).verdict).toBe('allow');
    expect(decide(withPort, req({ host: 'api.pay.svc.cluster.local' })).verdict).toBe('deny');
    expect(decide(withPort, req({ host: 'WEB.pay:8080' })).verdict).toBe('allow');
    const denyBare = [wp('DENY', [{ to: [{ operation: { hosts: ['admin.pay'] } }] }])];
    expect(decide(denyBare, req({ host: 'admin.pay:80' })).verdict).toBe('allow');
  });
  it('the nearest miss of a host shows the authority as sent', () => {
    const p = [wp('ALLOW', [{ to: [{ operation: { hosts: ['api.pay'] } }] }])];
    const d = authorizeAtWaypoint(p.map(compileWaypointAuthorization), req({ host: 'api.pay:80' }), MESH);
    expect(d.evaluations[0]?.nearMiss).toEqual({ rule: 0, field: 'hosts', expected: ['api.pay'], actual: 'api.pay:80' });
  });
  it('methods match exactly', () => {
    const p = [wp('ALLOW', [{ to: [{ operation: { methods: ['GET'] } }] }])];
    expect(decide(p, req({ method: 'GET' })).verdict).toBe('allow');
    expect(decide(p, req({ method: 'get' })).verdict).toBe('deny');
  });
  it('request.headers[...] conditions use the four string forms (literal ">5")', () => {
    const p = [wp('ALLOW', [{ when: [{ key: 'request.headers[x-amount]', values: ['>5'] }] }])];
    expect(decide(p, req({ headers: { 'x-amount': '>5' } })).verdict).toBe('allow');
    expect(decide(p, req({ headers: { 'x-amount': '10' } })).verdict).toBe('deny');
  });
  it('DENY before ALLOW; no ALLOW policy allows', () => {
    const anyone: Rule[] = [{}];
    expect(decide([wp('ALLOW', anyone), wp('DENY', anyone)], req({}))).toMatchObject({ verdict: 'deny', policy: 'pay/deny' });
    expect(decide([], req({}))).toMatchObject({ verdict: 'allow', reason: 'no-allow-policies' });
  });
  it('dry-run is reported, not enforced', () => {
    expect(decide([wp('DENY', [{}], { dryRun: true })], req({})).verdict).toBe('allow');
  });
  it('AUDIT policies are reported, not enforced here', () => {
    const d = decide([wp('AUDIT', [{}])], req({}));
    expect(d.verdict).toBe('allow');
    expect(d.evaluations[0]?.notEnforced).toBe('audit');
  });
  it('cluster.local principals match a custom trust domain and its aliases (trustdomain/bundle.go ReplaceTrustDomainAliases)', () => {
    const p = [wp('ALLOW', [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/client'] } }] }])];
    const mesh = { trustDomain: 'corp.example', trustDomainAliases: ['old.example'], extAuthzProviders: {} };
    expect(decide(p, req({}, { srcIdentity: 'spiffe://corp.example/ns/shop/sa/client' }), mesh).verdict).toBe('allow');
    expect(decide(p, req({}, { srcIdentity: 'spiffe://old.example/ns/shop/sa/client' }), mesh).verdict).toBe('allow');
    expect(decide(p, req({}, { srcIdentity: 'spiffe://evil.example/ns/shop/sa/client' }), mesh).verdict).toBe('deny');
  });
});

// pilot/pkg/security/authz/model/model.go rule.checkError; semantics §2 "Envoy does the opposite".
describe('plain TCP through the waypoint', () => {
  it('an ALLOW rule with HTTP attributes never matches TCP', () => {
    expect(decide([wp('ALLOW', [{ to: [{ operation: { methods: ['GET'], ports: ['80'] } }] }])], req()).verdict).toBe('deny');
  });
  it('a DENY rule drops its HTTP attributes and keeps the rest, so an HTTP-only DENY denies all TCP', () => {
    expect(decide([wp('DENY', [{ to: [{ operation: { methods: ['POST'] } }] }])], req())).toMatchObject({ verdict: 'deny', policy: 'pay/deny' });
    expect(decide([wp('DENY', [{ to: [{ operation: { methods: ['POST'], ports: ['9090'] } }] }])], req()).verdict).toBe('allow');
  });
  it('L7 attributes that are unknown (TLS, HTTP/2) make the decision undecidable, not guessed', () => {
    const d = decide([wp('ALLOW', [{ to: [{ operation: { paths: ['/a'] } }] }])], req(undefined, { l7Unknown: 'tls' }));
    expect(d.reason).toBe('l7-undecidable');
  });
});

// pilot/pkg/security/authz/model/generator.go requestClaimGenerator, requestAudiencesGenerator and
// requestPresenterGenerator; matcher/metadata.go MetadataListValueMatcher (useExtendedJwt: a string
// value, or a list with any element that matches); model/util.go extractNameInNestedBrackets.
describe('JWT claims in when conditions', () => {
  const jwt = (claims: Record<string, unknown>): Partial<RequestAttributes> => ({ jwt: { iss: 'https://idp', sub: 'alice', claims } });
  const allows = (key: string, values: string[], claims: Record<string, unknown>, notValues?: string[]) =>
    decide([wp('ALLOW', [{ when: [{ key, values, ...(notValues ? { notValues } : {}) }] }])], req({}, jwt(claims))).verdict === 'allow';
  it.each([
    ['a string claim', { groups: 'admins' }, true],
    ['a list claim with a matching element', { groups: ['dev', 'admins'] }, true],
    ['a list claim without one', { groups: ['dev', 'ops'] }, false],
    ['a number claim (no string to match)', { groups: 7 }, false],
    ['an object claim', { groups: { admins: true } }, false],
    ['no such claim', {}, false],
  ])('request.auth.claims[groups] = admins against %s', (_name, claims, ok) => {
    expect(allows('request.auth.claims[groups]', ['admins'], claims)).toBe(ok);
  });
  it('a list claim is matched element by element, not as its elements joined by commas', () => {
    expect(allows('request.auth.claims[groups]', ['admins,dev'], { groups: ['admins', 'dev'] })).toBe(false);
  });
  it('a list claim is excluded by notValues when any element matches', () => {
    expect(allows('request.auth.claims[groups]', ['*'], { groups: ['dev', 'banned'] }, ['banned'])).toBe(false);
    expect(allows('request.auth.claims[groups]', ['*'], { groups: ['dev'] }, ['banned'])).toBe(true);
  });
  it('nested claims follow the path, one bracket per level', () => {
    expect(allows('request.auth.claims[realm][role]', ['admin'], { realm: { role: ['admin', 'user'] } })).toBe(true);
    expect(allows('request.auth.claims[realm][role]', ['admin'], { realm: 'admin' })).toBe(false);
  });
  it('request.auth.audiences reads aud and request.auth.presenter reads azp, lists included', () => {
    expect(allows('request.auth.audiences', ['shop'], { aud: ['billing', 'shop'] })).toBe(true);
    expect(allows('request.auth.audiences', ['shop'], { aud: 'billing' })).toBe(false);
    expect(allows('request.auth.presenter', ['web-*'], { azp: 'web-client' })).toBe(true);
  });
});

// istio/istio pilot/pkg/security/authz/builder/builder.go buildHTTP/buildTCP, getBadCustomDenyRules;
// builder/extauthz.go processExtensionProvider, getExtAuthz; testdata/http/custom-bad-out.yaml.
describe('CUSTOM policies at a waypoint or sidecar (pilot/pkg/security/authz/builder/builder.go)', () => {
  const custom = (provider: string, rules: Rule[], extra: Partial<WaypointAuthorization> = {}) => wp('CUSTOM', rules, { key: `pay/${provider}`, provider, ...extra });
  const admin: Rule[] = [{ to: [{ operation: { paths: ['/admin'] } }] }];
  it('a provider the mesh config does not define turns the rules into DENY rules (custom-bad-out.yaml)', () => {
    expect(decide([custom('opa', admin)], req({ path: '/admin' }))).toMatchObject({ verdict: 'deny', reason: 'custom-provider-invalid', policy: 'pay/opa', rule: 0 });
    expect(decide([custom('opa', admin)], req({ path: '/public' }))).toMatchObject({ verdict: 'allow', reason: 'no-allow-policies' });
  });
  it('the bad-provider DENY comes before an ALLOW that matches, since the CUSTOM filter runs first', () => {
    const d = decide([wp('ALLOW', [{}]), custom('opa', admin)], req({ path: '/admin' }));
    expect(d).toMatchObject({ verdict: 'deny', reason: 'custom-provider-invalid', policy: 'pay/opa' });
  });
  it('on a TCP chain the bad-provider DENY drops its HTTP fields and keeps the rest, so it denies all TCP (built with the DENY action)', () => {
    expect(decide([custom('opa', admin)], req())).toMatchObject({ verdict: 'deny', reason: 'custom-provider-invalid' });
    expect(decide([custom('opa', [{ to: [{ operation: { ports: ['9090'] } }] }])], req())).toMatchObject({ verdict: 'allow' });
  });
  it('a dry-run CUSTOM policy with a bad provider is not made a DENY (getBadCustomDenyRules takes the enforced rules)', () => {
    expect(decide([custom('opa', admin, { dryRun: true })], req({ path: '/admin' })).verdict).toBe('allow');
  });
  it('a usable provider decides matching requests itself: undecidable, the verdict shown assumes it allows', () => {
    expect(decide([custom('ext-http', admin)], req({ path: '/admin' }))).toMatchObject({ verdict: 'allow', reason: 'custom-provider-undecidable', policy: 'pay/ext-http', rule: 0 });
    expect(decide([custom('ext-http', admin)], req({ path: '/public' }))).toMatchObject({ verdict: 'allow', reason: 'no-allow-policies' });
  });
  it('when the rest denies, the request is denied whatever the provider says', () => {
    expect(decide([custom('ext-http', admin), wp('DENY', [{}])], req({ path: '/admin' }))).toMatchObject({ verdict: 'deny', reason: 'deny-policy-matched' });
  });
  it('an HTTP provider is not consulted on a TCP chain ("ignored CUSTOM action with HTTP provider on TCP filter chain"); a gRPC one is', () => {
    expect(decide([custom('ext-http', [{}])], req())).toMatchObject({ verdict: 'allow', reason: 'no-allow-policies' });
    expect(decide([custom('ext-grpc', [{}])], req())).toMatchObject({ verdict: 'allow', reason: 'custom-provider-undecidable', policy: 'pay/ext-grpc' });
  });
  it('two providers at one proxy make both deny unless PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS is true (custom-bad-multiple-providers)', () => {
    const two = [custom('ext-http', admin), custom('ext-grpc', [{ to: [{ operation: { paths: ['/x'] } }] }])].map(compileWaypointAuthorization);
    expect(authorizeAtWaypoint(two, req({ path: '/admin' }), MESH)).toMatchObject({ verdict: 'deny', reason: 'custom-provider-invalid', policy: 'pay/ext-http' });
    expect(authorizeAtWaypoint(two, req({ path: '/x' }), MESH)).toMatchObject({ verdict: 'deny', reason: 'custom-provider-invalid', policy: 'pay/ext-grpc' });
    expect(authorizeAtWaypoint(two, req({ path: '/admin' }), MESH, { multipleCustomProviders: true })).toMatchObject({ verdict: 'allow', reason: 'custom-provider-undecidable' });
  });
  it('a dry-run CUSTOM policy still counts as a provider in use (builder.go build appends it before the dry-run check)', () => {
    const two = [custom('ext-http', admin), custom('ext-grpc', [{}], { dryRun: true })].map(compileWaypointAuthorization);
    expect(authorizeAtWaypoint(two, req({ path: '/admin' }), MESH)).toMatchObject({ verdict: 'deny', reason: 'custom-provider-invalid', policy: 'pay/ext-http' });
  });
});
