import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
// pcap-parser 0.2.1 is an independent reader of classic microsecond pcap, used here as an oracle.
import pcapParser from 'pcap-parser';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../../../src/load/capture/capture-reader.js';
import { pcapFile, tcpFrame } from '../../support/capture-builder.js';
import { Readable } from 'node:stream';

interface Seen {
  readonly seconds: number;
  readonly micros: number;
  readonly captured: number;
  readonly original: number;
  readonly hex: string;
}

function oracle(bytes: Uint8Array): Promise<Seen[]> {
  return new Promise((done, fail) => {
    const seen: Seen[] = [];
    const parser = pcapParser.parse(Readable.from([Buffer.from(bytes)]));
    parser.on('packet', (p: { header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number }; data: Buffer }) => {
      seen.push({ seconds: p.header.timestampSeconds, micros: p.header.timestampMicroseconds, captured: p.header.capturedLength, original: p.header.originalLength, hex: p.data.toString('hex') });
    });
    parser.on('error', fail);
    parser.on('end', () => done(seen));
  });
}

function ours(bytes: Uint8Array, chunk = 4096): Seen[] {
  const seen: Seen[] = [];
  const reader = new CaptureReader((p) => {
    seen.push({ seconds: p.seconds, micros: p.nanoseconds / 1000, captured: p.capturedLength, original: p.originalLength, hex: Buffer.from(p.bytes.subarray(p.start, p.start + p.capturedLength)).toString('hex') });
  });
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.finish();
  return seen;
}

const FIXTURES = resolve(__dirname, '../../fixtures');
const REPO = resolve(__dirname, '../../..');
const CLASSIC = [
  resolve(REPO, 'traces/demo.pcap'),
  'real-captures/tcpdump/print-flags.pcap',
  'real-captures/gopacket/test_ethernet.pcap',
  'real-captures/gopacket/test_loopback.pcap',
  'real-captures/tcpdump/accecn_handshake.pcap',
  'real-captures/tcpdump/ipv4_tcp_http_xml.pcap',
  'real-captures/tcpdump/802.1ad_QinQ.pcap',
  'real-captures/tcpdump/bigtcp-ipv6.pcap',
  'real-captures/tcpdump/resp_1_benchmark.pcap',
  'real-captures/tcpdump/tcp_rst_data-trunc.pcap',
];

describe('on classic pcap, the reader and pcap-parser agree packet for packet', () => {
  it.each(CLASSIC)('%s', async (file) => {
    const bytes = readFileSync(resolve(FIXTURES, file));
    const expected = await oracle(bytes);
    expect(expected.length).toBeGreaterThan(0);
    expect(ours(bytes)).toEqual(expected);
    expect(ours(bytes, 7)).toEqual(expected);
  });

  it('on generated files of either byte order, with any chunking', async () => {
    const frame = fc.record({
      payload: fc.string({ maxLength: 300 }),
      sport: fc.integer({ min: 1, max: 65535 }),
      seconds: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      micros: fc.integer({ min: 0, max: 999_999 }),
      cut: fc.nat({ max: 40 }),
    });
    await fc.assert(fc.asyncProperty(fc.array(frame, { maxLength: 20 }), fc.boolean(), fc.integer({ min: 1, max: 5000 }), async (frames, littleEndian, chunk) => {
      const built = frames.map((f) => {
        const bytes = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: f.sport, dport: 80, payload: f.payload });
        const kept = bytes.subarray(0, Math.max(14, bytes.length - f.cut));
        return { bytes: kept, seconds: f.seconds, fraction: f.micros, wire: bytes.length };
      });
      const file = pcapFile(built, { littleEndian });
      expect(ours(file, chunk)).toEqual(await oracle(file));
    }), { numRuns: 60 });
  });
});
