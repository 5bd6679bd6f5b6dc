import { compileCidr } from '../match/ip-match.js';

/** A dotted-quad IPv4 address in canonical form (no leading zeros), optionally with a prefix length. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/(?:3[0-2]|[12]?\d))?$/;

/**
 * Whether `text` is an IP address or CIDR block as `compileCidr` reads them (istiod's `stringToIP`):
 * canonical IPv4, the common case, is recognised without parsing; anything else is parsed.
 */
export function isIpOrCidr(text: string): boolean {
  return CANONICAL_IPV4.test(text) || compileCidr(text) !== null;
}

/**
 * Whether `text` is one IP address, as Go's `netip.ParseAddr` reads `status.podIP`: IPv4 as four
 * decimal octets without leading zeros, or IPv6; no prefix length.
 */
export function isIpAddress(text: string): boolean {
  if (text.includes('/')) return false;
  return text.includes(':') ? compileCidr(text) !== null : CANONICAL_IPV4.test(text);
}
