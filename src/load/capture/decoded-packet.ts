import type { PacketFate } from '../../model/capture.js';

export type { PacketFate };

/**
 * One decoded packet, reused for every packet. Addresses are kept as numbers (IPv4) or as a hex key
 * (IPv6) so that the flow table can key connections without formatting strings per packet. Numbers
 * are kept as signed 32-bit integers (small integers to the engine), so that storing them boxes nothing.
 */
export interface DecodedPacket {
  fate: PacketFate;
  /** Why the packet is not `decoded` (`ARP`, `IP protocol 1 (ICMP)`, ...). */
  reason: string;
  ipVersion: 4 | 6;
  /** IPv4 addresses as the signed 32-bit integer of their four bytes (ipVersion 4). */
  src4: number;
  dst4: number;
  /** IPv6 addresses as 32 hex digits (ipVersion 6). */
  src6: string;
  dst6: string;
  transport: 'tcp' | 'udp';
  srcPort: number;
  dstPort: number;
  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10) and sequence number (signed 32-bit). */
  flags: number;
  seq: number;
  /** Transport payload present in the capture: `bytes[payloadStart .. payloadStart + payloadLength)`. */
  payloadStart: number;
  payloadLength: number;
  /** Payload bytes the packet carried on the wire but the capture cut (snaplen). */
  payloadMissing: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

export function emptyDecodedPacket(): DecodedPacket {
  return { fate: 'decoded', reason: '', ipVersion: 4, src4: 0, dst4: 0, src6: '', dst6: '', transport: 'tcp', srcPort: 0, dstPort: 0, flags: 0, seq: 0, payloadStart: 0, payloadLength: 0, payloadMissing: 0 };
}
