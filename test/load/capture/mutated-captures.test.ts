import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../../../src/load/capture/read-capture.js';

/**
 * Captures mutated by fast-check (flipped bytes, cut files, absurd lengths) never crash or hang the
 * reader or the flow extraction, and every problem names a byte offset inside the file.
 */
const CAPTURES = resolve(__dirname, '../../fixtures/real-captures');
const SEEDS = [
  resolve(__dirname, '../../../traces/demo.pcap'),
  resolve(__dirname, '../../../traces/demo.pcapng'),
  resolve(CAPTURES, 'gopacket/test_loopback.pcap'),
  resolve(CAPTURES, 'pcapng-test-generator/be-difficult-test202.pcapng'),
  resolve(CAPTURES, 'tcpdump/resp_1_benchmark.pcap'),
].map((f) => new Uint8Array(readFileSync(f)));

type Mutation =
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'cut'; at: number }
  | { kind: 'length'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('length' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 3, 0x7fffffff, 0xffffffff, 0x10000000, 65536, 262145) }),
);

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'flip') out[at] = (out[at] as number) ^ m.bits;
    else if (m.kind === 'cut') out = out.slice(0, at);
    else if (at + 4 <= out.length) new DataView(out.buffer, out.byteOffset).setUint32(at - (at % 4), m.value, true);
  }
  return out;
}

function check(bytes: Uint8Array): void {
  const { summary } = readCaptureBytes(bytes, { name: 'mutated' });
  const p = summary.packets;
  expect(p.decoded + p.nonIp + p.fragments + p.truncated + p.unsupported).toBe(p.total);
  expect(p.total).toBe(summary.reader.packets);
  for (const problem of summary.problems) {
    expect(problem.offset).toBeGreaterThanOrEqual(0);
    expect(problem.offset).toBeLessThanOrEqual(bytes.length);
    expect(problem.message).not.toBe('');
  }
}

/** A guard against hangs and runaway work, not a speed figure (the machine may be busy): the 400 runs take well under a second. */
const HANG_MS = 30_000;

describe('mutated captures', () => {
  it('never crash, hang or lose count of a packet', () => {
    fc.assert(fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, mutations) => {
      check(mutate(SEEDS[seed] as Uint8Array, mutations));
    }), { numRuns: 400 });
  }, HANG_MS);

  /** The byte offset of record `n` (0-based) of a little-endian pcap: past the file header and the records before it. */
  const recordAt = (view: DataView, n: number): number => {
    let offset = 24;
    for (let i = 0; i < n; i++) offset += 16 + view.getUint32(offset + 8, true);
    return offset;
  };

  it('a record header claiming 4 GB of data is named with its offset, and the packets before it are kept', () => {
    const bytes = SEEDS[0]!.slice();
    const view = new DataView(bytes.buffer);
    const offset = recordAt(view, 2);
    view.setUint32(offset + 8, 0xffffffff, true);
    const { summary } = readCaptureBytes(bytes, { name: 'absurd' });
    expect(summary.reader.packets).toBe(2);
    expect(summary.problems).toEqual([expect.objectContaining({ code: 'capture-bad-length', offset, severity: 'error' })]);
    expect(summary.problems[0]?.message).toContain('4294967295');
  });

  it.each([['pcap', 10, 0], ['pcap', 23, 0], ['pcapng', 20, 1]] as const)('a %s cut inside its file header (%i bytes) is an error, as libpcap refuses it ("truncated dump file")', (_format, cut, seed) => {
    const { summary } = readCaptureBytes(SEEDS[seed]!.slice(0, cut), { name: 'cut' });
    expect(summary.reader.packets).toBe(0);
    expect(summary.problems).toEqual([expect.objectContaining({ code: 'capture-truncated', offset: 0, severity: 'error' })]);
  });

  it('a pcap cut after its file header, inside its first record, is a warning: the file is a capture, with nothing before the cut', () => {
    const { summary } = readCaptureBytes(SEEDS[0]!.slice(0, 30), { name: 'cut' });
    expect(summary.problems).toEqual([expect.objectContaining({ code: 'capture-truncated', offset: 24, severity: 'warning' })]);
  });

  it('a header snaplen of 0xFFFFFFFF does not let one bogus record length swallow the file: it is corrupt at that record, the packets before it kept (libpcap clamps it)', () => {
    const bytes = SEEDS[0]!.slice();
    const view = new DataView(bytes.buffer);
    view.setUint32(16, 0xffffffff, true);
    const offset = recordAt(view, 5);
    view.setUint32(offset + 8, 0x10000000, true);
    const { summary } = readCaptureBytes(bytes, { name: 'snaplen' });
    expect(summary.reader.packets).toBe(5);
    expect(summary.problems).toEqual([expect.objectContaining({ code: 'capture-bad-length', offset, severity: 'error' })]);
  });

  it('random bytes are not a capture, whatever they hold', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      check(bytes);
    }), { numRuns: 300 });
  });
});
