import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCapture, readCaptureBytes } from '../../src/load/capture/read-capture.js';
import type { CaptureSummary } from '../../src/model/capture.js';
import type { Flow } from '../../src/model/flow.js';
import { ROOT } from '../cli/run-cli.js';
import { captureStructure, packetsBefore, pcapStructure, type CaptureStructure, type CaptureUnit } from './support/capture-structure.js';
import { captureMutation, mutateCapture } from './support/capture-mutations.js';
import { fuzzParameters, fuzzTimeout, guarded, guardedAsync } from './support/fuzz-settings.js';

/**
 * Captures fuzzed as Wireshark's fuzz-test.sh fuzzes dissectors (editcap -E over real captures): the
 * demo traces and third-party captures in test/fixtures/real-captures, cut at any offset, bytes
 * flipped, record and block lengths and snaplens made absurd, magics made wrong. Every packet is
 * accounted for (read, or lost with a problem at a byte offset), against a walk of the file's
 * records and blocks as the formats define them (support/capture-structure.ts).
 */
const REAL = join(ROOT, 'test/fixtures/real-captures');
const SEED_FILES = [
  join(ROOT, 'traces/demo.pcap'), join(ROOT, 'traces/demo.pcapng'),
  ...['gopacket/test_loopback.pcap', 'gopacket/test_ethernet.pcap', 'gopacket/pcapgo-le-test902.pcapng', 'tcpdump/resp_1_benchmark.pcap',
    'tcpdump/tcp-handshake-nano.pcap', 'tcpdump/of13_ericsson.pcapng', 'tcpdump/bgp-role.pcapng', 'tcpdump/bigtcp-ipv6.pcap',
    'pcapng-test-generator/be-difficult-test202.pcapng', 'pcapng-test-generator/le-basic-test010.pcapng'].map((f) => join(REAL, f)),
];

interface Seed {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly structure: CaptureStructure;
}

const SEEDS: readonly Seed[] = SEED_FILES.map((file) => {
  const bytes = new Uint8Array(readFileSync(file));
  return { file, bytes, structure: captureStructure(bytes) as CaptureStructure };
});

const read = (bytes: Uint8Array) => guarded(() => readCaptureBytes(bytes, { name: 'fuzzed' }));

/** Every packet read is decoded or set aside with a reason; every problem is at a byte of the file. */
function expectAccounted(summary: CaptureSummary, size: number): void {
  const p = summary.packets;
  expect(p.decoded + p.nonIp + p.fragments + p.truncated + p.unsupported).toBe(p.total);
  expect(p.total).toBe(summary.reader.packets);
  for (const problem of summary.problems) {
    expect(Number.isInteger(problem.offset), problem.message).toBe(true);
    expect(problem.offset, problem.message).toBeGreaterThanOrEqual(0);
    expect(problem.offset, problem.message).toBeLessThanOrEqual(size);
    expect(problem.message).not.toBe('');
  }
}

const packetUnits = (s: CaptureStructure) => s.units.filter((u) => u.packet);
const seedOf = (n: number) => SEEDS[n % SEEDS.length] as Seed;
const withU32 = (bytes: Uint8Array, at: number, value: number, le: boolean) => {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(at, value, le);
  return out;
};

describe('fuzzed captures: every packet accounted for, every problem at a byte offset', () => {
  it('the walk of records and blocks finds every packet the reader reads in each seed, and the seeds read clean', () => {
    for (const seed of SEEDS) {
      const { summary } = read(seed.bytes);
      expect(summary.reader.packets, seed.file).toBe(packetUnits(seed.structure).length);
      expect(summary.problems.filter((p) => p.severity !== 'info'), seed.file).toEqual([]);
    }
  });

  it('a capture cut at any offset keeps every packet before the cut, and names the unit the cut is in', () => {
    fc.assert(fc.property(fc.nat(), fc.nat(), (n, at) => {
      const seed = seedOf(n);
      const cut = at % (seed.bytes.length + 1);
      const { summary } = read(seed.bytes.slice(0, cut));
      expectAccounted(summary, cut);
      expect(summary.reader.packets).toBe(packetsBefore(seed.structure, cut));
      const first = seed.structure.format === 'pcap' ? 24 : (seed.structure.units[0] as CaptureUnit).length;
      const inside = seed.structure.units.find((u) => u.offset < cut && cut < u.offset + u.length);
      const errors = summary.problems.filter((p) => p.severity === 'error');
      if (cut === 0) expect(errors.map((p) => p.code)).toEqual(['capture-empty']);
      else if (cut < first) expect(errors).toEqual([expect.objectContaining({ offset: 0 })]);
      else if (inside) expect(summary.problems).toEqual([expect.objectContaining({ code: 'capture-truncated', severity: 'warning', offset: inside.offset })]);
      else expect(summary.problems).toEqual([]);
    }), fuzzParameters(1000));
  }, fuzzTimeout(1000));

  it('packet bytes changed anywhere: every packet is still read, and decoded or set aside with a reason', () => {
    const flip = fc.record({ at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) });
    fc.assert(fc.property(fc.nat(), fc.array(flip, { minLength: 1, maxLength: 30 }), (n, flips) => {
      const seed = seedOf(n);
      const bytes = seed.bytes.slice();
      const data = packetUnits(seed.structure).filter((u) => u.dataEnd > u.dataStart);
      for (const f of flips) {
        const u = data[f.at % data.length] as CaptureUnit;
        const at = u.dataStart + (Math.floor(f.at / data.length) % (u.dataEnd - u.dataStart));
        bytes[at] = (bytes[at] as number) ^ f.bits;
      }
      const { summary } = read(bytes);
      expectAccounted(summary, bytes.length);
      expect(summary.reader.packets).toBe(data.length + packetUnits(seed.structure).filter((u) => u.dataEnd <= u.dataStart).length);
      expect(summary.problems.filter((p) => p.severity === 'error')).toEqual([]);
    }), fuzzParameters(1000));
  }, fuzzTimeout(1000));

  it('an absurd record or block length stops reading at that unit, named by its offset, with the packets before it kept', () => {
    // pcap: more than libpcap's MAXIMUM_SNAPLEN; pcapng: not a multiple of 4, under 12, or over libpcap's MAX_BLOCKSIZE.
    const absurd = { pcap: [262_145, 0x7fffffff, 0xffffffff], pcapng: [0, 3, 13, 16 * 1024 * 1024 + 68, 0x7ffffffc, 0xffffffff] };
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.nat(), (n, k, v) => {
      const seed = seedOf(n);
      const values = absurd[seed.structure.format];
      const value = values[v % values.length] as number;
      const units = seed.structure.format === 'pcap' ? seed.structure.units : seed.structure.units.slice(1);
      const unit = units[k % units.length] as CaptureUnit;
      // pcap: the record's caplen; pcapng: the block's total length.
      const at = unit.offset + (seed.structure.format === 'pcap' ? 8 : 4);
      const bytes = withU32(seed.bytes, at, value, unit.littleEndian);
      const { summary } = read(bytes);
      expectAccounted(summary, bytes.length);
      expect(summary.reader.packets).toBe(packetsBefore(seed.structure, unit.offset));
      expect(summary.problems.filter((p) => p.severity !== 'info')).toEqual([expect.objectContaining({ offset: unit.offset })]);
    }), fuzzParameters(800));
  }, fuzzTimeout(800));

  it('an absurd snaplen in a pcap file header reads every packet (libpcap clamps it, pcap-common.c pcap_adjust_snapshot)', () => {
    const pcaps = SEEDS.filter((s) => s.structure.format === 'pcap');
    fc.assert(fc.property(fc.nat(), fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x80000000), (n, snaplen) => {
      const seed = pcaps[n % pcaps.length] as Seed;
      const { summary } = read(withU32(seed.bytes, 16, snaplen, seed.structure.littleEndian));
      expect(summary.reader.packets).toBe(seed.structure.units.length);
      expect(summary.problems.filter((p) => p.severity !== 'info')).toEqual([]);
    }), fuzzParameters(100));
  });

  it('an absurd snaplen in a pcapng interface description reads every packet (draft-ietf-opsawg-pcapng §4.2: it bounds captured bytes, 0 is no limit)', () => {
    const pcapngs = SEEDS.filter((s) => s.structure.format === 'pcapng');
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff), (n, k, snaplen) => {
      const seed = pcapngs[n % pcapngs.length] as Seed;
      const interfaces = seed.structure.units.filter((u) => u.type === 1);
      const idb = interfaces[k % interfaces.length] as CaptureUnit;
      const { summary } = read(withU32(seed.bytes, idb.offset + 12, snaplen, idb.littleEndian));
      expect(summary.reader.packets).toBe(packetUnits(seed.structure).length);
      expect(summary.problems.filter((p) => p.severity !== 'info')).toEqual([]);
    }), fuzzParameters(100));
  });

  it('a wrong magic number is no capture: nothing read, an error at offset 0', () => {
    const magics = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);
    fc.assert(fc.property(fc.nat(), fc.integer({ min: 0, max: 0xffffffff }).filter((m) => !magics.has(m)), (n, magic) => {
      const seed = seedOf(n);
      const { summary } = read(withU32(seed.bytes, 0, magic, true));
      expect(summary.reader.packets).toBe(0);
      expect(summary.problems).toEqual([expect.objectContaining({ severity: 'error', code: 'capture-unknown-format', offset: 0 })]);
    }), fuzzParameters(300));
  });

  it('pcap bytes flipped anywhere, headers included: the packets read are the records the format finds', () => {
    const pcaps = SEEDS.filter((s) => s.structure.format === 'pcap');
    const flip = fc.record({ at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) });
    fc.assert(fc.property(fc.nat(), fc.array(flip, { minLength: 1, maxLength: 8 }), (n, flips) => {
      const bytes = (pcaps[n % pcaps.length] as Seed).bytes.slice();
      for (const f of flips) bytes[f.at % bytes.length] = (bytes[f.at % bytes.length] as number) ^ f.bits;
      const { summary } = read(bytes);
      expectAccounted(summary, bytes.length);
      const structure = pcapStructure(bytes);
      // libpcap reads version 2.x alone (sf-pcap.c pcap_check_header).
      const version = structure ? new DataView(bytes.buffer).getUint16(4, structure.littleEndian) : 0;
      expect(summary.reader.packets).toBe(structure && version === 2 ? structure.units.length : 0);
    }), fuzzParameters(1000));
  }, fuzzTimeout(1000));

  it('any mutant read in chunks of any size reads as it does in one piece: same packets, flows and problems', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(), fc.array(captureMutation, { maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }), async (n, mutations, sizes) => {
      const bytes = mutateCapture(seedOf(n).bytes, mutations);
      const whole = read(bytes);
      const flows: Flow[] = [];
      const summary = await guardedAsync(() => readCapture(chunks(bytes, sizes), { name: 'fuzzed' }, (f) => flows.push(f)));
      expectAccounted(summary, bytes.length);
      // A stream is read no further than where reading stopped; bytes in memory are all counted.
      expect({ ...summary, reader: { ...summary.reader, bytes: 0 } }).toEqual({ ...whole.summary, reader: { ...whole.summary.reader, bytes: 0 } });
      if (!summary.reader.stopped) expect(summary.reader.bytes).toBe(bytes.length);
      expect(flows).toEqual(whole.flows);
    }), fuzzParameters(400));
  }, fuzzTimeout(400));
});

async function* chunks(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length] as number;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}
