import ipaddr from 'ipaddr.js';

/** A CIDR compiled for fast comparison: IPv4 as a masked uint32, IPv6 as a masked bigint. */
export type CompiledCidr =
  | { readonly v4: true; readonly network: number; readonly mask: number }
  | { readonly v4: false; readonly network: bigint; readonly mask: bigint };

/** A parsed address, numeric like CompiledCidr. */
export type NumericIp = { readonly v4: true; readonly value: number } | { readonly v4: false; readonly value: bigint } | null;

/**
 * Parses a CIDR or bare IP (a bare IP is a /32 or /128) the way istiod's `stringToIP` does; invalid
 * entries return null and are dropped, as ztunnel silently drops them.
 */
export function compileCidr(text: string): CompiledCidr | null {
  try {
    const [addr, bits] = text.includes('/') ? ipaddr.parseCIDR(text) : [ipaddr.parse(text), undefined];
    if (addr.kind() === 'ipv4') {
      const b = bits ?? 32;
      const mask = b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0;
      return { v4: true, network: (v4Number(addr.toByteArray()) & mask) >>> 0, mask };
    }
    const b = bits ?? 128;
    const mask = b === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - b)) - 1n);
    return { v4: false, network: v6Number(addr.toByteArray()) & mask, mask };
  } catch {
    return null;
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses an address for matching; IPv4-mapped IPv6 compares as IPv4. Null when not an address. */
export function parseIp(text: string): NumericIp {
  const m = IPV4.exec(text);
  if (m) return { v4: true, value: ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) >>> 0 };
  try {
    const addr = ipaddr.parse(text);
    if (addr.kind() === 'ipv4') return { v4: true, value: v4Number(addr.toByteArray()) };
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return { v4: true, value: v4Number(v6.toIPv4Address().toByteArray()) };
    return { v4: false, value: v6Number(v6.toByteArray()) };
  } catch {
    return null;
  }
}

/** Whether an address is inside a CIDR. */
export function cidrContains(cidr: CompiledCidr, ip: NumericIp): boolean {
  if (ip === null) return false;
  if (cidr.v4) return ip.v4 && ((ip.value & cidr.mask) >>> 0) === cidr.network;
  return !ip.v4 && (ip.value & cidr.mask) === cidr.network;
}

function v4Number(bytes: number[]): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

function v6Number(bytes: number[]): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}
