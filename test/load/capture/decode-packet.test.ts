import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../../../src/load/capture/read-capture.js';
import { ethernet, ipv4, ipv6, pcapFile, tcpSegment } from '../../support/capture-builder.js';

const HTTP = tcpSegment({ src: '', dst: '', sport: 40000, dport: 80, flags: 0x18, payload: 'GET /x HTTP/1.1\r\nHost: h\r\n\r\n' });
const V6A = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1];
const V6B = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 2];

function decode(frames: readonly Uint8Array[], linkType = 1) {
  return readCaptureBytes(pcapFile(frames.map((bytes) => ({ bytes })), { linkType }), { name: 't' });
}

describe('link and network decoding', () => {
  it.each([
    ['Ethernet', 1, ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP))],
    ['802.1Q', 1, ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP), [[0x8100, 165]])],
    ['stacked 802.1ad + 802.1Q', 1, ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP), [[0x88a8, 200], [0x8100, 2001]])],
    ['Linux cooked SLL', 113, Uint8Array.from([0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00, ...ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)])],
    ['Linux cooked SLL2', 276, Uint8Array.from([0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, ...ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)])],
    ['BSD loopback, little-endian family', 0, Uint8Array.from([2, 0, 0, 0, ...ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)])],
    ['BSD loopback, big-endian family', 0, Uint8Array.from([0, 0, 0, 2, ...ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)])],
    ['OpenBSD loopback', 108, Uint8Array.from([0, 0, 0, 2, ...ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)])],
    ['raw IPv4 (101)', 101, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)],
    ['raw IPv4 (228)', 228, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)],
  ])('decodes %s down to the HTTP request', (_name, linkType, frame) => {
    const r = decode([frame], linkType);
    expect(r.summary.packets).toMatchObject({ total: 1, decoded: 1 });
    expect(r.flows[0]).toMatchObject({ source: { ip: '10.0.0.1' }, destination: { ip: '10.0.0.2', port: 80 }, http: { method: 'GET', path: '/x' } });
  });

  it('decodes IPv6 through hop-by-hop and destination-options headers, and prints addresses as RFC 5952', () => {
    const hopByHop = [60, 0, 0, 0, 0, 0, 0, 0];
    const destOpts = [6, 0, 0, 0, 0, 0, 0, 0];
    const r = decode([ethernet(0x86dd, ipv6(V6A, V6B, 0, Uint8Array.from([...hopByHop, ...destOpts, ...HTTP])))]);
    expect(r.flows[0]).toMatchObject({ source: { ip: '2001:db8::1' }, destination: { ip: '2001:db8::2', port: 80 }, protocol: 'http' });
  });

  it('takes the length of an IPv6 packet with payload length 0 (BIG TCP, jumbograms) from the frame', () => {
    const r = decode([ethernet(0x86dd, ipv6(V6A, V6B, 6, HTTP, { payloadLength: 0 }))]);
    expect(r.flows[0]?.http?.path).toBe('/x');
  });

  it('counts IPv4 and IPv6 fragments and does not guess their contents', () => {
    const r = decode([
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP, { fragment: 0x2000 })),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP, { fragment: 0x0010 })),
      ethernet(0x86dd, ipv6(V6A, V6B, 44, Uint8Array.from([6, 0, 0, 1, 0, 0, 0, 7, ...HTTP]))),
    ]);
    expect(r.summary.packets).toMatchObject({ total: 3, fragments: 3, reasons: { fragments: { 'IPv4 fragment': 2, 'IPv6 fragment': 1 } } });
    expect(r.flows).toEqual([]);
  });

  it('accounts for every packet: non-IP, truncated and unsupported, with reasons', () => {
    const r = decode([
      ethernet(0x0806, new Uint8Array(28)),
      ethernet(0x88cc, new Uint8Array(20)),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 1, new Uint8Array(8))),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)).subarray(0, 14 + 20 + 10),
      ethernet(0x0800, new Uint8Array(10)),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, HTTP)),
    ]);
    expect(r.summary.packets).toEqual({
      total: 6, decoded: 1, nonIp: 2, fragments: 0, truncated: 2, unsupported: 1,
      reasons: { nonIp: { ARP: 1, LLDP: 1 }, fragments: {}, truncated: { 'TCP header cut short': 1, 'IPv4 header cut short': 1 }, unsupported: { 'IP protocol 1 (ICMP)': 1 } },
    });
  });

  it('reports a link type it cannot decode as unsupported', () => {
    expect(decode([new Uint8Array(40)], 147).summary.packets).toMatchObject({ unsupported: 1, reasons: { unsupported: { 'link type 147': 1 } } });
  });
});
