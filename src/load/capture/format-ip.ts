import ipaddr from 'ipaddr.js';

/** Dotted quad of an IPv4 address held as an unsigned 32-bit number. */
export function formatIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952 text of an IPv6 address held as 32 hex digits (how the manifests' addresses are compared). */
export function formatIpv6(hex: string): string {
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
  return ipaddr.IPv6.parse(groups.join(':')).toRFC5952String();
}
