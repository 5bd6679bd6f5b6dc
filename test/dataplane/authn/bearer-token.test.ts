import { describe, expect, it } from 'vitest';
import { decodeJwt, requestToken } from '../../../src/dataplane/authn/bearer-token.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (claims: unknown) => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2ln`;

describe('requestToken() reads the JWT a request carries', () => {
  it('takes the flow\'s jwt field first', () => {
    const jwt = { iss: 'a', sub: 'b', claims: {} };
    expect(requestToken({ jwt, http: { method: 'GET', path: '/', headers: { authorization: `Bearer ${token({ iss: 'x', sub: 'y' })}` } } })).toBe(jwt);
  });
  it('decodes a bearer token from the authorization header without verifying it', () => {
    const r = requestToken({ http: { method: 'GET', path: '/', headers: { authorization: `Bearer ${token({ iss: 'https://idp', sub: 'alice', group: 'x' })}` } } });
    expect(r).toEqual({ iss: 'https://idp', sub: 'alice', claims: { iss: 'https://idp', sub: 'alice', group: 'x' } });
  });
  it('is undefined without a token', () => {
    expect(requestToken({ http: { method: 'GET', path: '/', headers: {} } })).toBeUndefined();
  });
});

describe('decodeJwt() never throws', () => {
  it.each(['', 'a.b', 'x.@@@.y', `${b64({})}.${Buffer.from('not json').toString('base64url')}.s`, `${b64({})}.${b64([1])}.s`])('marks %j invalid', (text) => {
    expect(decodeJwt(text).invalid).toBe(true);
  });
});
