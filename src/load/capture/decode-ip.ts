import { u16be, u32be } from './bytes.js';
import type { DecodedPacket } from './decoded-packet.js';
import { ETHERTYPE_IPV4 } from './decode-link.js';

const PROTOCOL_NAMES: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 4: 'IP-in-IP', 41: 'IPv6-in-IPv4', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 89: 'OSPF', 103: 'PIM', 112: 'VRRP', 132: 'SCTP' };
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function unsupported(out: DecodedPacket, protocol: number): void {
  out.fate = 'unsupported';
  out.reason = `IP protocol ${protocol}${PROTOCOL_NAMES[protocol] ? ` (${PROTOCOL_NAMES[protocol]})` : ''}`;
}

function truncated(out: DecodedPacket, what: string): void {
  out.fate = 'truncated';
  out.reason = `${what} header cut short`;
}

/**
 * Decodes IPv4 or IPv6 and the TCP or UDP header after it. `capturedEnd` is where the capture's bytes
 * end, `wireEnd` where the frame ended on the wire (they differ when snaplen cut the packet). IPv4
 * fragments are counted, not reassembled; IPv6 extension headers are walked.
 */
export function decodeIp(b: Uint8Array, p: number, capturedEnd: number, wireEnd: number, ethertype: number, out: DecodedPacket): void {
  if (ethertype === ETHERTYPE_IPV4) ipv4(b, p, capturedEnd, wireEnd, out);
  else ipv6(b, p, capturedEnd, wireEnd, out);
}

function ipv4(b: Uint8Array, p: number, capturedEnd: number, wireEnd: number, out: DecodedPacket): void {
  if (p + 20 > capturedEnd) return truncated(out, 'IPv4');
  const vihl = b[p] as number;
  if (vihl >> 4 !== 4) {
    out.fate = 'unsupported';
    out.reason = `IP version ${vihl >> 4} in an IPv4 frame`;
    return;
  }
  const headerLength = (vihl & 0x0f) * 4;
  if (headerLength < 20) return truncated(out, 'IPv4 (header length below 20)');
  if (p + headerLength > capturedEnd) return truncated(out, 'IPv4 options');
  const total = u16be(b, p + 2);
  const fragment = u16be(b, p + 6);
  if ((fragment & 0x3fff) !== 0) {
    out.fate = 'fragments';
    out.reason = 'IPv4 fragment';
    return;
  }
  out.ipVersion = 4;
  out.src4 = u32be(b, p + 12) | 0;
  out.dst4 = u32be(b, p + 16) | 0;
  // A total length of 0 is what TCP segmentation offload writes; the frame's length is then the packet's.
  const ipEnd = total === 0 ? wireEnd : Math.min(p + total, wireEnd);
  transport(b[p + 9] as number, b, p + headerLength, capturedEnd, ipEnd, out);
}

function ipv6(b: Uint8Array, p: number, capturedEnd: number, wireEnd: number, out: DecodedPacket): void {
  if (p + 40 > capturedEnd) return truncated(out, 'IPv6');
  if ((b[p] as number) >> 4 !== 6) {
    out.fate = 'unsupported';
    out.reason = `IP version ${(b[p] as number) >> 4} in an IPv6 frame`;
    return;
  }
  const payloadLength = u16be(b, p + 4);
  // Payload length 0 means a jumbogram or a BIG TCP frame: the length comes from the frame.
  const ipEnd = payloadLength === 0 ? wireEnd : Math.min(p + 40 + payloadLength, wireEnd);
  out.ipVersion = 6;
  out.src6 = hex16(b, p + 8);
  out.dst6 = hex16(b, p + 24);
  let next = b[p + 6] as number;
  let q = p + 40;
  // Hop-by-hop (0), routing (43), destination options (60), fragment (44), AH (51), mobility (135).
  while (next === 0 || next === 43 || next === 60 || next === 44 || next === 51 || next === 135) {
    if (q + 8 > capturedEnd) return truncated(out, 'IPv6 extension');
    if (next === 44) {
      const offsetAndMore = u16be(b, q + 2);
      if ((offsetAndMore & 0xfff9) !== 0) {
        out.fate = 'fragments';
        out.reason = 'IPv6 fragment';
        return;
      }
      next = b[q] as number;
      q += 8;
      continue;
    }
    const length = next === 51 ? ((b[q + 1] as number) + 2) * 4 : ((b[q + 1] as number) + 1) * 8;
    next = b[q] as number;
    q += length;
  }
  transport(next, b, q, capturedEnd, ipEnd, out);
}

function transport(protocol: number, b: Uint8Array, p: number, capturedEnd: number, ipEnd: number, out: DecodedPacket): void {
  if (protocol === 6) {
    if (p + 20 > capturedEnd) return truncated(out, 'TCP');
    const dataOffset = ((b[p + 12] as number) >> 4) * 4;
    if (dataOffset < 20) return truncated(out, 'TCP (data offset below 20)');
    out.transport = 'tcp';
    out.flags = b[p + 13] as number;
    out.seq = u32be(b, p + 4) | 0;
    payload(b, p, dataOffset, capturedEnd, ipEnd, out);
  } else if (protocol === 17) {
    if (p + 8 > capturedEnd) return truncated(out, 'UDP');
    out.transport = 'udp';
    out.flags = 0;
    out.seq = 0;
    payload(b, p, 8, capturedEnd, ipEnd, out);
  } else return unsupported(out, protocol);
  out.srcPort = u16be(b, p);
  out.dstPort = u16be(b, p + 2);
  out.fate = 'decoded';
}

function payload(b: Uint8Array, p: number, headerLength: number, capturedEnd: number, ipEnd: number, out: DecodedPacket): void {
  const start = Math.min(p + headerLength, ipEnd);
  const end = Math.max(start, ipEnd);
  out.payloadStart = start;
  out.payloadLength = Math.max(0, Math.min(end, capturedEnd) - start);
  out.payloadMissing = Math.max(0, end - Math.max(start, capturedEnd));
}

function hex16(b: Uint8Array, p: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += HEX[b[p + i] as number];
  return s;
}
