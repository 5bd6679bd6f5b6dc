import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIpOrCidr } from '../../src/istiod/ip-text.js';
import { compileCidr } from '../../src/match/ip-match.js';

/** Dotted quads and prefixes near the canonical form: leading zeros, values past 255 and 32, signs, spaces. */
const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '010', '0x1', '-1', ' 1', '1 ', ''));
const prefix = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 40 }).map((n) => `/${n}`), fc.constantFrom('/', '/01', '/-1', '/32 ', '/ 8'));
const nearIpv4 = fc.tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), prefix).map(([parts, p]) => `${parts.join('.')}${p}`);

describe('isIpOrCidr', () => {
  it('agrees with compileCidr on addresses and blocks near dotted-quad form, IPv6 and anything else', () => {
    fc.assert(fc.property(fc.oneof(nearIpv4, fc.ipV4(), fc.ipV6(), fc.string()), (text) => {
      expect(isIpOrCidr(text)).toBe(compileCidr(text) !== null);
    }), { numRuns: 5000 });
  });

  it('takes canonical IPv4 addresses and blocks, and refuses what is not an address', () => {
    expect(['10.0.0.1', '0.0.0.0/0', '255.255.255.255/32', '192.168.1.0/24'].map(isIpOrCidr)).toEqual([true, true, true, true]);
    expect(['10.0.0.256', '10.0.0.1/33', '10.0.0.1/', 'x'].map(isIpOrCidr)).toEqual([false, false, false, false]);
  });
});
