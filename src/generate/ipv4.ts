/** IPv4 arithmetic for boundary values: the first and last address of a CIDR and their neighbours. */

/** The 32-bit value of a dotted IPv4 address, or undefined when it is not one. */
export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Addresses just inside and just outside an IPv4 CIDR (a bare IP is a /32); empty for IPv6 or bad input. */
export function cidrBoundaries(cidr: string): { readonly inside: readonly string[]; readonly outside: readonly string[] } {
  const [addr, bitsText] = cidr.split('/');
  const base = ipv4ToNumber(addr ?? '');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return { inside: [], outside: [] };
  const size = 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  const last = first + size - 1;
  const inside = [...new Set([first, last, Math.min(first + 1, last)])].map(numberToIpv4);
  const outside = [first - 1, last + 1].filter((n) => n >= 0 && n <= 0xffffffff).map(numberToIpv4);
  return { inside, outside };
}
