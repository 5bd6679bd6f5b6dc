import { describe, expect, it } from 'vitest';
import { cidrContains, compileCidr, parseIp } from '../../src/match/ip-match.js';
import { compilePath, pathMatches } from '../../src/match/path-match.js';
import { stringMatches, toStringMatch } from '../../src/match/string-match.js';
import { cidrBoundaries } from '../../src/generate/ipv4.js';
import { methodSamples, pathSamples, portSamples, stringSamples } from '../../src/generate/near-misses.js';

/** The samples are judged by the engine's own matchers: inside ones match, near misses do not. */
describe('boundary samples fall on the side of the policy value they claim', () => {
  it.each([['/api/*'], ['/api*'], ['/admin'], ['*.json'], ['/api/{*}/items'], ['/api/v1/payments/{*}/capture'], ['/files/{**}'], ['/api/{*}']])(
    'pathSamples(%s): inside paths match and near misses do not',
    (pattern) => {
      const m = compilePath(pattern);
      const s = pathSamples(pattern);
      expect(s.inside.length).toBeGreaterThan(0);
      expect(s.outside.length).toBeGreaterThan(0);
      for (const p of s.inside) expect(pathMatches(m, p), p).toBe(true);
      for (const p of s.outside) expect(pathMatches(m, p), p).toBe(false);
    },
  );

  it.each([['prod'], ['prod*'], ['*.example.com'], ['cluster.local/ns/orders/sa/checkout']])('stringSamples(%s): inside values match and near misses do not', (pattern) => {
    const m = toStringMatch(pattern);
    const s = stringSamples(pattern);
    for (const v of s.inside) expect(stringMatches(m, v), v).toBe(true);
    expect(s.outside.length).toBeGreaterThan(0);
    for (const v of s.outside) expect(stringMatches(m, v), v).toBe(false);
  });

  it.each([['10.0.1.0/24'], ['10.0.0.0/16'], ['203.0.113.9'], ['0.0.0.0/0'], ['192.168.0.0/31']])('cidrBoundaries(%s): first and last addresses are inside, their neighbours outside', (cidr) => {
    const c = compileCidr(cidr);
    if (c === null) throw new Error(`bad CIDR ${cidr}`);
    const b = cidrBoundaries(cidr);
    for (const ip of b.inside) expect(cidrContains(c, parseIp(ip)), ip).toBe(true);
    for (const ip of b.outside) expect(cidrContains(c, parseIp(ip)), ip).toBe(false);
    expect(b.outside.length).toBe(cidr === '0.0.0.0/0' ? 0 : 2);
  });

  it('cidrBoundaries names the addresses either side of a /24', () => {
    expect(cidrBoundaries('10.0.1.0/24')).toEqual({ inside: ['10.0.1.0', '10.0.1.255', '10.0.1.1'], outside: ['10.0.0.255', '10.0.2.0'] });
  });

  it('cidrBoundaries gives nothing for IPv6 or a malformed block', () => {
    expect(cidrBoundaries('fd00::/8')).toEqual({ inside: [], outside: [] });
    expect(cidrBoundaries('10.0.0.0/33')).toEqual({ inside: [], outside: [] });
  });

  it('portSamples gives the port and its neighbours within 1..65535', () => {
    expect(portSamples(8080)).toEqual({ inside: [8080], outside: [8079, 8081] });
    expect(portSamples(1)).toEqual({ inside: [1], outside: [2] });
  });

  it('methodSamples gives the method and a different one', () => {
    expect(methodSamples('POST')).toEqual({ inside: ['POST'], outside: ['PUT'] });
    expect(methodSamples('HEAD')).toEqual({ inside: ['HEAD'], outside: ['GET'] });
    expect(methodSamples('PURGE')).toEqual({ inside: ['PURGE'], outside: ['purge'] });
  });
});
