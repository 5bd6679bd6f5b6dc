import { u32le } from './bytes.js';
import type { CaptureProblem, ReaderStats } from '../../model/capture.js';
import { emptyReaderStats, type PacketView } from './packet.js';
import { PcapFormat } from './pcap-format.js';
import { PcapngFormat } from './pcapng-format.js';
import type { ReaderSink, UnitFormat } from './unit-format.js';

const FORMAT_HINTS: ReadonlyArray<readonly [number, string]> = [
  [0x34cdb2a1, 'a "modified" (Kuznetzov) pcap file; re-save it as pcap with editcap or tshark -F pcap'],
  [0x00088b1f, 'gzip-compressed; decompress it first'],
  [0x6f6f6e73, 'a Solaris snoop capture; convert it with editcap -F pcap'],
];

/**
 * A streaming reader for classic pcap and pcapng. Feed it the file's bytes in chunks of any size with
 * `push`, then call `finish`; every packet goes to the callback as a reused {@link PacketView}. Memory
 * stays bounded by the largest record (a record that straddles chunks is gathered alone). Problems are
 * collected with their byte offsets; a fatal one stops reading, and everything before it stays used.
 */
export class CaptureReader implements ReaderSink {
  private readonly counts: ReaderStats = emptyReaderStats();
  /** Packets of the current run of one link type, added to `linkTypes` when the run ends or the stats are read. */
  private runLinkType = 0;
  private runPackets = 0;
  readonly problems: CaptureProblem[] = [];
  readonly packet: PacketView = { index: 0, offset: 0, linkType: 0, interfaceId: 0, seconds: 0, nanoseconds: 0, capturedLength: 0, originalLength: 0, bytes: new Uint8Array(0), start: 0 };
  private format: UnitFormat | undefined;
  private carry: Uint8Array | undefined;
  private fileOffset = 0;
  private done = false;

  constructor(private readonly callback: (packet: PacketView) => void) {}

  /** True once a fatal problem stopped the reader; further chunks are only counted. */
  get stopped(): boolean {
    return this.done;
  }

  /** What the reader saw so far. */
  get stats(): ReaderStats {
    if (this.runPackets > 0) this.endRun();
    return this.counts;
  }

  onPacket(p: PacketView): void {
    this.callback(p);
    const counts = this.counts;
    counts.packets++;
    if (p.linkType !== this.runLinkType) {
      if (this.runPackets > 0) this.endRun();
      this.runLinkType = p.linkType;
    }
    this.runPackets++;
    if (p.capturedLength < p.originalLength) counts.cutBySnaplen++;
  }

  private endRun(): void {
    const types = this.counts.linkTypes;
    types[this.runLinkType] = (types[this.runLinkType] ?? 0) + this.runPackets;
    this.runPackets = 0;
  }

  problem(problem: CaptureProblem): void {
    this.problems.push(problem);
  }

  /** Reads a chunk. The chunk may be reused once this returns: the reader copies what it keeps. */
  push(chunk: Uint8Array): void {
    this.counts.bytes += chunk.length;
    if (this.done) return;
    let pos = 0;
    if (this.carry) {
      pos = this.completeCarried(chunk);
      if (pos < 0 || this.done) return;
    }
    this.run(chunk, pos);
  }

  /** Call after the last chunk: reports an empty file or a unit cut short by the end of the file. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.stats.bytes === 0) {
      this.problem({ severity: 'error', code: 'capture-empty', offset: 0, message: 'the file is empty' });
      return;
    }
    const carry = this.carry;
    if (!carry) return;
    if (!this.format) {
      this.problem({ severity: 'error', code: 'capture-unknown-format', offset: 0, message: `the file is ${carry.length} bytes long, too short to be a capture` });
      return;
    }
    const f = this.format;
    const needed = carry.length >= f.headerBytes ? f.unitLength(carry, 0, this.fileOffset) : f.headerBytes;
    if (needed < 0) return;
    // Cut inside the file header (pcap) or the first section header block (pcapng): nothing in it is a
    // capture one can read: libpcap refuses such a file (savefile.c pcap_fopen_offline_with_tstamp_precision
    // and sf-pcap.c pcap_check_header:
    // "truncated dump file; tried to read N file header bytes, only got M").
    const severity = this.fileOffset === 0 ? 'error' : 'warning';
    this.problem({ severity, code: 'capture-truncated', offset: this.fileOffset, message: f.describeIncomplete(needed, carry.length, this.fileOffset) });
  }

  private run(b: Uint8Array, from: number): void {
    let pos = from;
    const end = b.length;
    while (true) {
      if (!this.format && (end - pos < 4 || !this.detect(b, pos))) break;
      const f = this.format as UnitFormat;
      if (f.units) {
        const next = f.units(b, pos, end, this.fileOffset);
        this.fileOffset += next - pos;
        pos = next;
      }
      const avail = end - pos;
      if (avail < f.headerBytes) break;
      const n = f.unitLength(b, pos, this.fileOffset);
      if (n < 0) return this.stop();
      if (avail < n) break;
      if (!f.unit(b, pos, n, this.fileOffset)) return this.stop();
      pos += n;
      this.fileOffset += n;
    }
    if (!this.done) this.keep(b, pos);
  }

  /** Keeps the start of a unit that the next chunk completes. */
  private keep(b: Uint8Array, pos: number): void {
    this.carry = pos < b.length ? b.slice(pos, b.length) : undefined;
  }

  /** Gathers the unit that straddles chunks; returns how many bytes of `chunk` it took, or -1 if it needs more. */
  private completeCarried(chunk: Uint8Array): number {
    let carry = this.carry as Uint8Array;
    let take = 0;
    let length = 0;
    while (true) {
      let need: number;
      if (!this.format) need = 4;
      else if (carry.length < this.format.headerBytes) need = this.format.headerBytes;
      else {
        length = this.format.unitLength(carry, 0, this.fileOffset);
        if (length < 0) {
          this.stop();
          return -1;
        }
        need = length;
      }
      if (carry.length >= need && this.format && length > 0) break;
      if (!this.format && carry.length >= 4) {
        if (!this.detect(carry, 0)) return -1;
        continue;
      }
      const more = Math.min(need - carry.length, chunk.length - take);
      if (more <= 0) {
        this.carry = carry;
        return -1;
      }
      const joined = new Uint8Array(carry.length + more);
      joined.set(carry, 0);
      joined.set(chunk.subarray(take, take + more), carry.length);
      carry = joined;
      take += more;
    }
    this.carry = undefined;
    if (!(this.format as UnitFormat).unit(carry, 0, length, this.fileOffset)) {
      this.stop();
      return -1;
    }
    this.fileOffset += length;
    return take;
  }

  private detect(b: Uint8Array, pos: number): boolean {
    const magic = u32le(b, pos);
    if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1) this.format = new PcapFormat(this);
    else if (magic === 0x0a0d0d0a) this.format = new PcapngFormat(this);
    else {
      const hint = FORMAT_HINTS.find(([m]) => m === magic || (m & 0xffff) === (magic & 0xffff))?.[1];
      this.problem({ severity: 'error', code: 'capture-unknown-format', offset: 0,
        message: `not a pcap or pcapng file (it starts with 0x${[...b.subarray(pos, pos + 4)].map((x) => x.toString(16).padStart(2, '0')).join('')})${hint ? `: it looks like ${hint}` : ''}` });
      this.stop();
      return false;
    }
    return true;
  }

  private stop(): void {
    this.done = true;
    this.stats.stopped = true;
    this.carry = undefined;
  }
}
