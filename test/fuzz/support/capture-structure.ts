/**
 * The units of a capture file as the formats define them, walked independently of the reader: the
 * fuzz suite's oracle for how many packets a file holds and where its records and blocks are.
 * pcap: pcap-savefile(5), a 24-byte file header then records of a 16-byte header (caplen at +8) and
 * caplen bytes; libpcap's MAXIMUM_SNAPLEN (pcap-int.h, 262144) bounds caplen (sf-pcap.c pcap_next_packet).
 * pcapng: draft-ietf-opsawg-pcapng §3.1, blocks of type, total length (a multiple of 4, at least 12),
 * body and the total length again; packet blocks are types 6 (enhanced), 3 (simple) and 2 (obsolete).
 */
export interface CaptureUnit {
  readonly offset: number;
  readonly length: number;
  /** A packet record or packet block. */
  readonly packet: boolean;
  /** The pcapng block type (1 is an interface description); absent for pcap records. */
  readonly type?: number;
  /** Its byte order (pcapng sections each have their own). */
  readonly littleEndian: boolean;
  /** Where its captured bytes start (a payload byte changed there leaves the structure as it is). */
  readonly dataStart: number;
  readonly dataEnd: number;
}

export interface CaptureStructure {
  readonly format: 'pcap' | 'pcapng';
  readonly headerBytes: number;
  readonly littleEndian: boolean;
  readonly units: readonly CaptureUnit[];
}

const MAXIMUM_SNAPLEN = 262144;

function u32(b: Uint8Array, o: number, le: boolean): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return v.getUint32(o, le);
}

/** The records of a well-formed pcap file; undefined if it is not one. */
export function pcapStructure(b: Uint8Array): CaptureStructure | undefined {
  if (b.length < 24) return undefined;
  const magic = u32(b, 0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && magic !== 0xd4c3b2a1 && magic !== 0x4d3cb2a1) return undefined;
  const units: CaptureUnit[] = [];
  let o = 24;
  while (o + 16 <= b.length) {
    const caplen = u32(b, o + 8, le);
    if (caplen > MAXIMUM_SNAPLEN || o + 16 + caplen > b.length) break;
    units.push({ offset: o, length: 16 + caplen, packet: true, littleEndian: le, dataStart: o + 16, dataEnd: o + 16 + caplen });
    o += 16 + caplen;
  }
  return { format: 'pcap', headerBytes: 24, littleEndian: le, units };
}

/** The blocks of a well-formed pcapng file (one byte order for the file); undefined if it is not one. */
export function pcapngStructure(b: Uint8Array): CaptureStructure | undefined {
  if (b.length < 12 || u32(b, 0, true) !== 0x0a0d0d0a) return undefined;
  let le = true;
  const units: CaptureUnit[] = [];
  let o = 0;
  while (o + 12 <= b.length) {
    const type = u32(b, o, le);
    // Each section header sets the byte order of its section (§4.1, the byte-order magic).
    if (type === 0x0a0d0d0a) le = u32(b, o + 8, true) === 0x1a2b3c4d;
    const length = u32(b, o + 4, le);
    if (length < 12 || length % 4 !== 0 || o + length > b.length) break;
    const packet = type === 6 || type === 3 || type === 2;
    const dataStart = o + (type === 3 ? 12 : type === 6 || type === 2 ? 28 : 8);
    const caplen = type === 6 || type === 2 ? u32(b, o + 20, le) : length - 16;
    units.push({ offset: o, length, packet, type, littleEndian: le, dataStart, dataEnd: Math.min(o + length - 4, dataStart + caplen) });
    o += length;
  }
  return { format: 'pcapng', headerBytes: 0, littleEndian: u32(b, 8, true) === 0x1a2b3c4d, units };
}

export function captureStructure(b: Uint8Array): CaptureStructure | undefined {
  return pcapStructure(b) ?? pcapngStructure(b);
}

/** Packets in the units that end at or before `end`. */
export function packetsBefore(s: CaptureStructure, end: number): number {
  return s.units.filter((u) => u.packet && u.offset + u.length <= end).length;
}
