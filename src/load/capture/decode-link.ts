import { u16be, u32be, u32le } from './bytes.js';
import type { DecodedPacket } from './decoded-packet.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0806: 'ARP', 0x8035: 'RARP', 0x88cc: 'LLDP', 0x8863: 'PPPoE discovery', 0x8864: 'PPPoE session', 0x8847: 'MPLS', 0x8848: 'MPLS',
  0x888e: 'EAPOL', 0x88f7: 'PTP', 0x8809: 'slow protocols (LACP)', 0x9000: 'loopback test',
};

/**
 * Finds the network layer in a frame. Returns the ethertype (0x0800 or 0x86dd) and sets `at.offset`
 * to where the IP header starts; for anything else, sets the packet's fate and returns 0.
 */
export function decodeLink(linkType: number, b: Uint8Array, start: number, end: number, out: DecodedPacket, at: { offset: number }): number {
  switch (linkType) {
    case 1: return ethernet(b, start, end, out, at);
    case 113: return cooked(b, start + 14, start + 16, end, out, at);
    case 276: return cooked(b, start, start + 20, end, out, at);
    case 0: return loopback(b, start, end, out, at, false);
    case 108: return loopback(b, start, end, out, at, true);
    case 12: case 14: case 101: return rawIp(b, start, end, out, at);
    case 228: return start < end ? ((at.offset = start), ETHERTYPE_IPV4) : truncated(out, 'raw IPv4');
    case 229: return start < end ? ((at.offset = start), ETHERTYPE_IPV6) : truncated(out, 'raw IPv6');
    default:
      out.fate = 'unsupported';
      out.reason = linkType < 0 ? 'packet on an interface no interface description block defined' : `link type ${linkType}`;
      return 0;
  }
}

function truncated(out: DecodedPacket, what: string): 0 {
  out.fate = 'truncated';
  out.reason = `${what} header cut short`;
  return 0;
}

/** Ethernet II, with any number of stacked 802.1Q (0x8100), 802.1ad (0x88a8) or 0x9100 VLAN tags. */
function ethernet(b: Uint8Array, start: number, end: number, out: DecodedPacket, at: { offset: number }): number {
  let p = start + 12;
  if (p + 2 > end) return truncated(out, 'Ethernet');
  let type = u16be(b, p);
  while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
    p += 4;
    if (p + 2 > end) return truncated(out, 'VLAN tag');
    type = u16be(b, p);
  }
  at.offset = p + 2;
  return networkType(type, out);
}

/** Linux cooked capture: SLL has the protocol at byte 14 of 16, SLL2 at byte 0 of 20. */
function cooked(b: Uint8Array, typeAt: number, payload: number, end: number, out: DecodedPacket, at: { offset: number }): number {
  if (payload > end) return truncated(out, 'Linux cooked');
  at.offset = payload;
  return networkType(u16be(b, typeAt), out);
}

/** BSD loopback: a 4-byte address family, in the capturing host's byte order (NULL) or network order (LOOP). */
function loopback(b: Uint8Array, start: number, end: number, out: DecodedPacket, at: { offset: number }, networkOrder: boolean): number {
  if (start + 4 > end) return truncated(out, 'loopback');
  let family = networkOrder ? u32be(b, start) : u32le(b, start);
  if (!networkOrder && family > 0xffff) family = u32be(b, start);
  at.offset = start + 4;
  if (family === 2) return ETHERTYPE_IPV4;
  // AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux).
  if (family === 24 || family === 28 || family === 30 || family === 10) return ETHERTYPE_IPV6;
  out.fate = 'nonIp';
  out.reason = `loopback address family ${family}`;
  return 0;
}

function rawIp(b: Uint8Array, start: number, end: number, out: DecodedPacket, at: { offset: number }): number {
  if (start >= end) return truncated(out, 'raw IP');
  at.offset = start;
  const version = (b[start] as number) >> 4;
  if (version === 4) return ETHERTYPE_IPV4;
  if (version === 6) return ETHERTYPE_IPV6;
  out.fate = 'nonIp';
  out.reason = `raw IP version ${version}`;
  return 0;
}

function networkType(type: number, out: DecodedPacket): number {
  if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return type;
  out.fate = 'nonIp';
  out.reason = type < 0x0600 ? '802.3 LLC frame' : (ETHERTYPE_NAMES[type] ?? `ethertype 0x${type.toString(16).padStart(4, '0')}`);
  return 0;
}
