import ipaddr from 'ipaddr.js';

/** Dotted quad of an IPv4 address held as an unsigned 32-bit number. */
export function formatIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Addresses whose text is kept; the cache is emptied when it reaches this many, so it stays bounded. */
const MAX_CACHED_ADDRESSES = 65_536;
const ipv4Texts = new Map<number, string>();

/** {@link formatIpv4}, one string per address while the address is cached (captures repeat a few thousand addresses). */
export function ipv4Text(n: number): string {
  const key = n | 0;
  let text = ipv4Texts.get(key);
  if (text === undefined) {
    if (ipv4Texts.size >= MAX_CACHED_ADDRESSES) ipv4Texts.clear();
    text = formatIpv4(n);
    ipv4Texts.set(key, text);
  }
  return text;
}

/** RFC 5952 text of an IPv6 address held as 32 hex digits (how the manifests' addresses are compared). */
export function formatIpv6(hex: string): string {
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
  return ipaddr.IPv6.parse(groups.join(':')).toRFC5952String();
}
