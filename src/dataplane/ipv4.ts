import { parseIp } from '../match/ip-match.js';

/** An address as the compiled tables compare it: an IPv4 uint32, or one of these codes. */
export const NO_ADDRESS = -1;
/** IPv6 (IPv4-mapped included): compiled tables leave it to the evidence evaluator. */
export const IPV6_ADDRESS = -2;

/**
 * Parses dotted-decimal IPv4 without allocating, exactly as `parseIp` reads it (one to three digits
 * per octet); any other text is parsed by `parseIp` itself and mapped onto the codes above.
 */
export function ipv4Of(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return slowParse(text);
      octet = octet * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && dots < 3) {
      value = (value << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return slowParse(text);
  }
  if (dots !== 3 || digits === 0) return slowParse(text);
  // Same arithmetic as parseIp: the first octet shifted by 24, and so on, as uint32.
  return ((value << 8) | octet) >>> 0;
}

function slowParse(text: string): number {
  const ip = parseIp(text);
  if (ip === null) return NO_ADDRESS;
  return ip.v4 ? ip.value : IPV6_ADDRESS;
}
