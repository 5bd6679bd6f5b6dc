import { splitTimestamp, u16, u32 } from './bytes.js';
import type { ReaderSink, UnitFormat } from './unit-format.js';

const SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** libpcap refuses blocks over 16 MiB (pcapng.c MAX_BLOCKSIZE); so do we, so a corrupt length cannot make us buffer gigabytes. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024 + 64;

const BLOCK_NAMES: Record<number, string> = {
  0x00000004: 'name-resolution',
  0x00000005: 'interface-statistics',
  0x00000009: 'systemd-journal-export',
  0x0000000a: 'decryption-secrets',
  0x00000bad: 'custom',
  0x40000bad: 'custom',
};

interface Interface {
  readonly linkType: number;
  readonly snaplen: number;
  readonly unitsPerSecond: number;
  readonly offsetSeconds: number;
}

/**
 * pcapng (draft-ietf-opsawg-pcapng): sections that each start with a section header block and set
 * their own byte order; interface description blocks with per-interface link type and `if_tsresol`;
 * enhanced, simple and obsolete packet blocks. Other blocks are skipped and counted.
 */
export class PcapngFormat implements UnitFormat {
  readonly headerBytes = 12;
  private le = true;
  private interfaces: Interface[] = [];
  private readonly time = { seconds: 0, nanoseconds: 0 };

  constructor(private readonly sink: ReaderSink) {}

  unitLength(b: Uint8Array, o: number, fileOffset: number): number {
    const type = u32(b, o, this.le);
    if (type === SHB) {
      const bom = u32(b, o + 8, true);
      if (bom !== BYTE_ORDER_MAGIC && u32(b, o + 8, false) !== BYTE_ORDER_MAGIC) {
        return this.corrupt(fileOffset, `section header block at byte ${fileOffset} has no byte-order magic`);
      }
      this.le = bom === BYTE_ORDER_MAGIC;
    }
    const length = u32(b, o + 4, this.le);
    if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK_BYTES) {
      return this.corrupt(fileOffset, `block at byte ${fileOffset} (type 0x${type.toString(16).padStart(8, '0')}) has an impossible length of ${length} bytes; the file is corrupt from here on`);
    }
    return length;
  }

  unit(b: Uint8Array, o: number, length: number, fileOffset: number): boolean {
    const type = u32(b, o, this.le);
    // As Wireshark does, a section header's options are read before its trailing length is checked.
    if (type === SHB && !this.sectionHeader(b, o, length, fileOffset)) return false;
    if (u32(b, o + length - 4, this.le) !== length) {
      return this.corrupt(fileOffset, `block at byte ${fileOffset}: its trailing length differs from its leading length ${length}; the file is corrupt from here on`) !== -1;
    }
    switch (type) {
      case SHB: return true;
      case 0x00000001: return this.interfaceDescription(b, o, length, fileOffset);
      case 0x00000006: return this.enhancedPacket(b, o, length, fileOffset);
      case 0x00000003: return this.simplePacket(b, o, length, fileOffset);
      case 0x00000002: return this.obsoletePacket(b, o, length, fileOffset);
      default: {
        const name = BLOCK_NAMES[type] ?? `0x${type.toString(16).padStart(8, '0')}`;
        this.sink.stats.skippedBlocks[name] = (this.sink.stats.skippedBlocks[name] ?? 0) + 1;
        return true;
      }
    }
  }

  describeIncomplete(needed: number, present: number, fileOffset: number): string {
    return `file ends in the middle of a block: the block at byte ${fileOffset} needs ${needed} bytes, ${present} are present; the packets before it are used`;
  }

  private corrupt(fileOffset: number, message: string): -1 {
    this.sink.problem({ severity: 'error', code: 'capture-bad-block', offset: fileOffset, message });
    return -1;
  }

  private sectionHeader(b: Uint8Array, o: number, length: number, fileOffset: number): boolean {
    const major = u16(b, o + 12, this.le);
    const minor = u16(b, o + 14, this.le);
    // libpcap pcapng.c: only version 1.x sections are read; a later section with another version ends the file.
    if (major !== 1) {
      this.sink.problem({ severity: 'error', code: 'capture-unsupported-version', offset: fileOffset,
        message: `section header block at byte ${fileOffset} has version ${major}.${minor}; only pcapng 1.x is read, so reading stops here` });
      return false;
    }
    if (!this.options(b, o, o + 24, o + length - 4, fileOffset, undefined)) return false;
    this.interfaces = [];
    this.sink.stats.sections++;
    this.sink.stats.format = 'pcapng';
    return true;
  }

  private interfaceDescription(b: Uint8Array, o: number, length: number, fileOffset: number): boolean {
    if (length < 20) return this.corrupt(fileOffset, `interface description block at byte ${fileOffset} is ${length} bytes, shorter than its 20-byte minimum`) !== -1;
    const found = { unitsPerSecond: 1e6, offsetSeconds: 0 };
    if (!this.options(b, o, o + 16, o + length - 4, fileOffset, found)) return false;
    this.interfaces.push({ linkType: u16(b, o + 8, this.le), snaplen: u32(b, o + 12, this.le), ...found });
    return true;
  }

  /** Walks an option list; reads if_tsresol (9) and if_tsoffset (14) into `found` when given. */
  private options(b: Uint8Array, blockStart: number, from: number, end: number, fileOffset: number, found: { unitsPerSecond: number; offsetSeconds: number } | undefined): boolean {
    let p = from;
    while (p + 4 <= end) {
      const code = u16(b, p, this.le);
      const len = u16(b, p + 2, this.le);
      if (code === 0) break;
      if (p + 4 + len > end) {
        return this.corrupt(fileOffset, `block at byte ${fileOffset}: option ${code} at byte ${fileOffset + (p - blockStart)} claims ${len} bytes, more than the block holds; the file is damaged or corrupt`) !== -1;
      }
      if (found && code === 9 && len >= 1) {
        const v = b[p + 4] as number;
        found.unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
      } else if (found && code === 14 && len >= 8) {
        const lo = u32(b, p + 4 + (this.le ? 0 : 4), this.le);
        const hi = u32(b, p + 4 + (this.le ? 4 : 0), this.le) | 0;
        found.offsetSeconds = hi * 4294967296 + lo;
      }
      p += 4 + ((len + 3) & ~3);
    }
    return true;
  }

  private enhancedPacket(b: Uint8Array, o: number, length: number, fileOffset: number): boolean {
    const caplen = u32(b, o + 20, this.le);
    if (28 + caplen + 4 > length) return this.corrupt(fileOffset, `enhanced packet block at byte ${fileOffset} claims ${caplen} captured bytes, more than its length ${length} allows`) !== -1;
    this.emit(u32(b, o + 8, this.le), u32(b, o + 12, this.le), u32(b, o + 16, this.le), caplen, u32(b, o + 24, this.le), b, o + 28, fileOffset);
    return true;
  }

  private obsoletePacket(b: Uint8Array, o: number, length: number, fileOffset: number): boolean {
    const caplen = u32(b, o + 20, this.le);
    if (28 + caplen + 4 > length) return this.corrupt(fileOffset, `packet block at byte ${fileOffset} claims ${caplen} captured bytes, more than its length ${length} allows`) !== -1;
    this.emit(u16(b, o + 8, this.le), u32(b, o + 12, this.le), u32(b, o + 16, this.le), caplen, u32(b, o + 24, this.le), b, o + 28, fileOffset);
    return true;
  }

  /** Simple packet blocks: interface 0, no timestamp; captured length = min(original, block room, snaplen). */
  private simplePacket(b: Uint8Array, o: number, length: number, fileOffset: number): boolean {
    const original = u32(b, o + 8, this.le);
    const snaplen = this.interfaces[0]?.snaplen || Number.MAX_SAFE_INTEGER;
    const caplen = Math.min(original, length - 16, snaplen);
    this.emit(0, NaN, 0, caplen, original, b, o + 12, fileOffset);
    return true;
  }

  private emit(interfaceId: number, high: number, low: number, caplen: number, original: number, b: Uint8Array, start: number, fileOffset: number): void {
    const p = this.sink.packet;
    const iface = this.interfaces[interfaceId];
    p.index = this.sink.stats.packets;
    p.offset = fileOffset;
    p.interfaceId = interfaceId;
    p.linkType = iface ? iface.linkType : -1;
    if (iface && !Number.isNaN(high)) {
      splitTimestamp(high, low, iface.unitsPerSecond, this.time);
      p.seconds = this.time.seconds + iface.offsetSeconds;
      p.nanoseconds = this.time.nanoseconds;
    } else {
      p.seconds = NaN;
      p.nanoseconds = 0;
    }
    p.capturedLength = caplen;
    p.originalLength = original;
    p.bytes = b;
    p.start = start;
    this.sink.onPacket(p);
  }
}
