import { u16, u32, u32be, u32le } from './bytes.js';
import type { UnitFormat, ReaderSink } from './unit-format.js';

/**
 * libpcap's MAXIMUM_SNAPLEN, what max_snaplen_for_dlt gives the link types read here: a record claiming
 * more captured bytes is corrupt whatever snaplen the file header states (sf-pcap.c pcap_next_packet:
 * "invalid packet capture length %u, bigger than maximum of %u"), so an absurd header snaplen such
 * as 0xFFFFFFFF cannot make the reader wait for gigabytes (pcap-common.c pcap_adjust_snapshot clamps it).
 */
export const MAXIMUM_SNAPLEN = 262144;

/**
 * Classic libpcap files (`pcap-savefile(5)`): a 24-byte file header, then records of a 16-byte header
 * and the captured bytes. Microsecond (0xa1b2c3d4) and nanosecond (0xa1b23c4d) magics, both byte orders.
 */
export class PcapFormat implements UnitFormat {
  readonly headerBytes = 16;
  private headerDone = false;
  private le = true;
  private unitsPerSecond = 1e6;
  private linkType = 0;
  private badTimestamps = 0;

  constructor(private readonly sink: ReaderSink) {}

  unitLength(b: Uint8Array, o: number, fileOffset: number): number {
    if (!this.headerDone) return 24;
    const caplen = u32(b, o + 8, this.le);
    if (caplen > MAXIMUM_SNAPLEN) {
      this.sink.problem({ severity: 'error', code: 'capture-bad-length', offset: fileOffset,
        message: `packet ${this.sink.stats.packets + 1} (record at byte ${fileOffset}) claims ${caplen} captured bytes, more than the maximum of ${MAXIMUM_SNAPLEN}; the file is corrupt from here on` });
      return -1;
    }
    return 16 + caplen;
  }

  units(b: Uint8Array, from: number, end: number, fileOffset: number): number {
    if (!this.headerDone) return from;
    const p = this.sink.packet;
    const stats = this.sink.stats;
    const le = this.le;
    const limit = MAXIMUM_SNAPLEN;
    const perSecond = this.unitsPerSecond;
    const nanosPerUnit = perSecond === 1e6 ? 1000 : 1;
    let o = from;
    while (end - o >= 16) {
      const caplen = le ? u32le(b, o + 8) : u32be(b, o + 8);
      const frac = le ? u32le(b, o + 4) : u32be(b, o + 4);
      if (caplen > limit || end - o - 16 < caplen || frac >= perSecond) break;
      p.index = stats.packets;
      p.offset = fileOffset + (o - from);
      p.linkType = this.linkType;
      p.interfaceId = 0;
      p.seconds = le ? u32le(b, o) : u32be(b, o);
      p.nanoseconds = frac * nanosPerUnit;
      p.capturedLength = caplen;
      p.originalLength = le ? u32le(b, o + 12) : u32be(b, o + 12);
      p.bytes = b;
      p.start = o + 16;
      this.sink.onPacket(p);
      o += 16 + caplen;
    }
    return o;
  }

  unit(b: Uint8Array, o: number, length: number, fileOffset: number): boolean {
    if (!this.headerDone) return this.fileHeader(b, o);
    const p = this.sink.packet;
    const le = this.le;
    let seconds = u32(b, o, le);
    let frac = u32(b, o + 4, le);
    if (frac >= this.unitsPerSecond) {
      if (this.badTimestamps++ === 0) {
        this.sink.problem({ severity: 'warning', code: 'capture-bad-timestamp', offset: fileOffset,
          message: `packet ${this.sink.stats.packets + 1} (record at byte ${fileOffset}) has a fractional timestamp of ${frac}, out of range; carried into the seconds` });
      }
      seconds += Math.floor(frac / this.unitsPerSecond);
      frac %= this.unitsPerSecond;
    }
    p.index = this.sink.stats.packets;
    p.offset = fileOffset;
    p.linkType = this.linkType;
    p.interfaceId = 0;
    p.seconds = seconds;
    p.nanoseconds = this.unitsPerSecond === 1e6 ? frac * 1000 : frac;
    p.capturedLength = length - 16;
    p.originalLength = u32(b, o + 12, le);
    p.bytes = b;
    p.start = o + 16;
    this.sink.onPacket(p);
    return true;
  }

  describeIncomplete(needed: number, present: number, fileOffset: number): string {
    if (!this.headerDone) return `file ends inside the 24-byte pcap file header (${present} bytes)`;
    return `file ends in the middle of packet ${this.sink.stats.packets + 1}: its record at byte ${fileOffset} needs ${needed} bytes, ${present} are present; the packets before it are used`;
  }

  private fileHeader(b: Uint8Array, o: number): boolean {
    const magicLe = u32(b, o, true);
    this.le = magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d;
    const magic = u32(b, o, this.le);
    this.unitsPerSecond = magic === 0xa1b23c4d ? 1e9 : 1e6;
    const major = u16(b, o + 4, this.le);
    const minor = u16(b, o + 6, this.le);
    // libpcap sf-pcap.c pcap_check_header: only version 2.x is read ("major version N unsupported").
    if (major !== 2) {
      this.sink.problem({ severity: 'error', code: 'capture-unsupported-version', offset: 4,
        message: `pcap file format version ${major}.${minor} is not supported (only 2.x, as libpcap)` });
      return false;
    }
    // The header's snaplen (offset 16) bounds nothing here: records are held to MAXIMUM_SNAPLEN.
    // The link-type field's low 16 bits are the LINKTYPE; the high bits carry FCS information.
    this.linkType = u32(b, o + 20, this.le) & 0xffff;
    this.headerDone = true;
    this.sink.stats.format = 'pcap';
    return true;
  }
}
