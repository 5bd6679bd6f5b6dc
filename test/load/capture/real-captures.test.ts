import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../../../src/load/capture/capture-reader.js';
import { readCaptureBytes } from '../../../src/load/capture/read-capture.js';

/**
 * Every file of test/fixtures/real-captures (captures written by tcpdump, libpcap, gopacket and the pcapng
 * test generator), read with the packet count or the error its README gives (Wireshark 4.0.17 capinfos
 * and tshark are the oracle there).
 */
const ROOT = resolve(__dirname, '../../fixtures/real-captures');
const read = (file: string): Uint8Array => readFileSync(join(ROOT, file));

interface Expectation {
  readonly file: string;
  readonly packets: number;
  readonly problem?: { readonly code: string; readonly severity: string; readonly offset?: number; readonly text: RegExp };
  readonly linkTypes?: Record<number, number>;
}

const EXPECTED: readonly Expectation[] = [
  { file: 'tcpdump/print-flags.pcap', packets: 10, linkTypes: { 1: 10 } },
  { file: 'gopacket/test_ethernet.pcap', packets: 10, linkTypes: { 1: 10 } },
  { file: 'gopacket/test_loopback.pcap', packets: 24, linkTypes: { 0: 24 } },
  { file: 'tcpdump/accecn_handshake.pcap', packets: 6 },
  { file: 'tcpdump/ipv4_tcp_http_xml.pcap', packets: 1 },
  { file: 'tcpdump/802.1ad_QinQ.pcap', packets: 2 },
  { file: 'tcpdump/bigtcp-ipv6.pcap', packets: 1 },
  { file: 'tcpdump/resp_1_benchmark.pcap', packets: 150, linkTypes: { 113: 150 } },
  { file: 'tcpdump/tcp-handshake-nano.pcap', packets: 3, linkTypes: { 113: 3 } },
  { file: 'tcpdump/timestamp_invalid_nano.pcap', packets: 3, problem: { code: 'capture-bad-timestamp', severity: 'warning', offset: 116, text: /1000000000, out of range/ } },
  { file: 'tcpdump/tcp_rst_data-trunc.pcap', packets: 1 },
  { file: 'tcpdump/of13_ericsson.pcapng', packets: 174, linkTypes: { 1: 174 } },
  { file: 'tcpdump/bgp-role.pcapng', packets: 9, linkTypes: { 113: 9 } },
  { file: 'pcapng-test-generator/be-difficult-test202.pcapng', packets: 8, linkTypes: { 0: 2, 1: 6 } },
  { file: 'pcapng-test-generator/le-basic-test010.pcapng', packets: 4 },
  { file: 'gopacket/pcapgo-le-test902.pcapng', packets: 1 },
  { file: 'gopacket/pcapgo-le-test901.pcapng', packets: 1, problem: { code: 'capture-unsupported-version', severity: 'error', text: /version 2\.0/ } },
  { file: 'libpcap/pcap-invalid-version-1.pcap', packets: 0, problem: { code: 'capture-unsupported-version', severity: 'error', offset: 4, text: /version 1\.\d+ is not supported/ } },
  { file: 'libpcap/shb-option-too-long.pcapng', packets: 0, problem: { code: 'capture-bad-block', severity: 'error', text: /claims 12336 bytes/ } },
  { file: 'derived/print-flags.cut-3000.pcap', packets: 5, problem: { code: 'capture-truncated', severity: 'warning', offset: 652, text: /middle of packet 6/ } },
];

describe('the real captures read as their README says', () => {
  it('covers every file of the folder', () => {
    const listed = readFileSync(join(ROOT, 'README.md'), 'utf8').match(/^\| `([^`]+\.pcap(?:ng)?)` \|/gm)?.map((l) => l.slice(3, -3)) ?? [];
    expect(listed.length).toBe(20);
    expect(new Set(EXPECTED.map((e) => e.file))).toEqual(new Set(listed));
  });

  it.each(EXPECTED.map((e) => [e.file, e] as const))('%s', (file, e) => {
    for (const chunk of [Number.MAX_SAFE_INTEGER, 13, 1]) {
      const bytes = read(file);
      const reader = new CaptureReader(() => {});
      for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
      reader.finish();
      expect(reader.stats.packets, `chunks of ${chunk}`).toBe(e.packets);
      if (e.linkTypes) expect(reader.stats.linkTypes).toEqual(e.linkTypes);
      if (e.problem) {
        expect(reader.problems).toHaveLength(1);
        const p = reader.problems[0]!;
        expect(p).toMatchObject({ code: e.problem.code, severity: e.problem.severity, ...(e.problem.offset !== undefined ? { offset: e.problem.offset } : {}) });
        expect(p.message).toMatch(e.problem.text);
        expect(p.offset).toBeLessThanOrEqual(bytes.length);
      } else expect(reader.problems).toEqual([]);
      const summary = readCaptureBytes(bytes, { name: file }).summary;
      const a = summary.packets;
      expect(a.total).toBe(e.packets);
      expect(a.decoded + a.nonIp + a.fragments + a.truncated + a.unsupported).toBe(a.total);
    }
  });
});

describe('what the real captures hold', () => {
  const flows = (file: string) => readCaptureBytes(read(file), { name: file });

  it('print-flags.pcap is one HTTP/1.1 GET / from 127.0.0.1:55920 to port 80', () => {
    const r = flows('tcpdump/print-flags.pcap');
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({ protocol: 'http', source: { ip: '127.0.0.1' }, destination: { ip: '127.0.0.1', port: 80 }, http: { method: 'GET', path: '/', host: 'localhost' } });
    expect(r.summary.connections).toMatchObject({ tcp: 1, withoutSyn: 0, httpRequests: 1 });
  });

  it('test_ethernet.pcap is GET / to 10.1.1.1', () => {
    const r = flows('gopacket/test_ethernet.pcap');
    expect(r.flows.map((f) => [f.http?.method, f.http?.path, f.http?.host, f.destination.port])).toEqual([['GET', '/', '10.1.1.1', 80]]);
  });

  it('test_loopback.pcap has three keep-alive requests over IPv6 on one connection', () => {
    const r = flows('gopacket/test_loopback.pcap');
    const requests = r.flows.filter((f) => f.protocol === 'http');
    expect(requests.map((f) => f.http?.path)).toEqual(['/pkg/github.com/gconnell/gopacket/', '/doc/style.css', '/doc/godocs.js']);
    expect(new Set(requests.map((f) => f.id.split('.')[0]))).toHaveLength(1);
    expect(requests[0]).toMatchObject({ source: { ip: '::1' }, destination: { ip: '::1', port: 8080 } });
  });

  it('accecn_handshake.pcap is GET /1M with AccECN flags in the handshake', () => {
    expect(flows('tcpdump/accecn_handshake.pcap').flows.map((f) => `${f.http?.method} ${f.http?.path}`)).toEqual(['GET /1M']);
  });

  it('ipv4_tcp_http_xml.pcap decodes through its 802.1Q tag and holds no request, only a response from port 80', () => {
    const r = flows('tcpdump/ipv4_tcp_http_xml.pcap');
    expect(r.summary.packets.decoded).toBe(1);
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({ protocol: 'tcp', destination: { port: 80 } });
    expect(r.flows[0]?.origin?.note).toMatch(/no SYN/);
  });

  it('802.1ad_QinQ.pcap is two ARP frames under stacked tags: non-IP', () => {
    expect(flows('tcpdump/802.1ad_QinQ.pcap').summary.packets).toMatchObject({ total: 2, nonIp: 2, reasons: { nonIp: { ARP: 2 } } });
  });

  it('bigtcp-ipv6.pcap: an 80,054-byte frame whose IPv6 payload length is 0 decodes with the length of the capture', () => {
    const r = flows('tcpdump/bigtcp-ipv6.pcap');
    expect(r.summary.packets.decoded).toBe(1);
    expect(r.summary.reader.linkTypes).toEqual({ 1: 1 });
  });

  it('resp_1_benchmark.pcap: 15 Redis connections over Linux cooked capture, none of them HTTP', () => {
    const r = flows('tcpdump/resp_1_benchmark.pcap');
    expect(r.summary.connections).toMatchObject({ tcp: 15, withoutSyn: 0, opaque: 15, httpRequests: 0 });
    expect(new Set(r.flows.map((f) => f.destination.port))).toEqual(new Set([6379]));
  });

  it('tcp-handshake-nano.pcap keeps nanoseconds: the first packet is at 1418145369.924505488', () => {
    const times: Array<[number, number]> = [];
    const reader = new CaptureReader((p) => times.push([p.seconds, p.nanoseconds]));
    reader.push(read('tcpdump/tcp-handshake-nano.pcap'));
    reader.finish();
    expect(times[0]).toEqual([1418145369, 924505488]);
  });

  it('tcp_rst_data-trunc.pcap: a packet cut by snaplen is counted as cut', () => {
    expect(flows('tcpdump/tcp_rst_data-trunc.pcap').summary.reader.cutBySnaplen).toBe(1);
  });

  it('pcapgo-le-test902.pcapng: if_tsresol 2^-8 gives 2018-02-20 12:00:00.1953125, as tshark prints it', () => {
    const times: Array<[number, number]> = [];
    const reader = new CaptureReader((p) => times.push([p.seconds, p.nanoseconds]));
    reader.push(read('gopacket/pcapgo-le-test902.pcapng'));
    reader.finish();
    expect(times[0]).toEqual([Date.UTC(2018, 1, 20, 12, 0, 0) / 1000, 195312500]);
  });

  it('le-basic-test010.pcapng: simple packet blocks have no timestamp', () => {
    const seconds: number[] = [];
    const reader = new CaptureReader((p) => seconds.push(p.seconds));
    reader.push(read('pcapng-test-generator/le-basic-test010.pcapng'));
    reader.finish();
    expect(seconds.every(Number.isNaN)).toBe(true);
  });

  it('be-difficult-test202.pcapng: sections of both byte orders, and its other blocks skipped and counted', () => {
    const r = flows('pcapng-test-generator/be-difficult-test202.pcapng');
    expect(r.summary.reader.sections).toBeGreaterThan(1);
    expect(Object.values(r.summary.reader.skippedBlocks).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
