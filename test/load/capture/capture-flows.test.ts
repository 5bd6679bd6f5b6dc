import { describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../../../src/load/capture/read-capture.js';
import { CaptureFlowExtractor, type CaptureFlowOptions } from '../../../src/load/capture/capture-flows.js';
import { CaptureReader } from '../../../src/load/capture/capture-reader.js';
import type { Flow } from '../../../src/model/flow.js';
import { ACK, clientHello, FIN, PSH, pcapFile, SYN, tcpConversation, tcpFrame, udpFrame, type Frame } from '../../support/capture-builder.js';

const GET = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: api\r\n\r\n`;

function flowsOf(frames: ReadonlyArray<Uint8Array | Frame>, options: Partial<CaptureFlowOptions> = {}) {
  const file = pcapFile(frames.map((f, i) => (f instanceof Uint8Array ? { bytes: f, seconds: 1000 + i } : f)));
  return readCaptureBytes(file, { name: 'cap', ...options });
}

describe('captured packets become flows', () => {
  it('makes one flow per HTTP request, numbered by connection and request, with the SYN naming the client', () => {
    const r = flowsOf(tcpConversation('10.0.0.1', '10.0.0.2', 40000, 8080, [GET('/a'), GET('/b')], { segments: 3 }));
    expect(r.flows.map((f) => [f.id, f.protocol, f.http?.path, f.source.ip, f.destination.port])).toEqual([
      ['cap#1.1', 'http', '/a', '10.0.0.1', 8080], ['cap#1.2', 'http', '/b', '10.0.0.1', 8080],
    ]);
    expect(r.flows[0]?.origin).toMatchObject({ kind: 'capture', packet: 0 });
    expect(r.summary.connections).toMatchObject({ tcp: 1, withoutSyn: 0, httpRequests: 2 });
  });

  it('makes a TCP flow for a connection that carries no HTTP, and says it was opaque', () => {
    const r = flowsOf(tcpConversation('10.0.0.1', '10.0.0.2', 40000, 5432, [Uint8Array.from([0, 0, 0, 8, 4, 210, 22, 47])]));
    expect(r.flows.map((f) => [f.id, f.protocol])).toEqual([['cap#1', 'tcp']]);
    expect(r.summary.connections.opaque).toBe(1);
  });

  it('marks a TLS connection as encrypted by the application, with its SNI, and its L7 as unknown', () => {
    const r = flowsOf(tcpConversation('10.0.0.1', '10.0.0.2', 40000, 443, [clientHello('api.payments.example')], { segments: 2 }));
    expect(r.flows[0]).toMatchObject({ protocol: 'tcp', appTls: { sni: 'api.payments.example' }, l7Unknown: 'tls' });
  });

  it('detects cleartext HTTP/2 by its connection preface', () => {
    const r = flowsOf(tcpConversation('10.0.0.1', '10.0.0.2', 40000, 80, ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04']));
    expect(r.flows[0]).toMatchObject({ l7Unknown: 'http2' });
    expect(r.summary.connections.http2).toBe(1);
  });

  it('trims retransmitted bytes and reorders segments that arrive out of order', () => {
    const c = (seq: number, payload: string) => tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, flags: ACK | PSH, seq, payload });
    const req = GET('/ordered');
    const frames = [
      tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, flags: SYN, seq: 99 }),
      c(100, req.slice(0, 10)), c(100, req.slice(0, 10)), c(120, req.slice(20)), c(105, req.slice(5, 20)),
    ];
    expect(flowsOf(frames).flows.map((f) => f.http?.path)).toEqual(['/ordered']);
  });

  it('without a SYN, takes the side the manifests say listens as the server, else the lower port; and says so', () => {
    const data = (src: string, dst: string, sport: number, dport: number) => tcpFrame({ src, dst, sport, dport, flags: ACK | PSH, seq: 1, payload: 'x' });
    const guessed = flowsOf([data('10.0.0.2', '10.0.0.1', 80, 40000)]);
    expect(guessed.flows[0]).toMatchObject({ source: { ip: '10.0.0.1' }, destination: { ip: '10.0.0.2', port: 80 } });
    expect(guessed.flows[0]?.origin?.note).toMatch(/no SYN.*lower one/);
    const known = flowsOf([data('10.0.0.1', '10.0.0.9', 30000, 50000)], { isServer: (ip, port) => ip === '10.0.0.9' && port === 50000 });
    expect(known.flows[0]).toMatchObject({ destination: { ip: '10.0.0.9', port: 50000 } });
    expect(known.flows[0]?.origin?.note).toMatch(/manifests have a listener/);
    expect(known.summary.connections.withoutSyn).toBe(1);
  });

  it('takes the sender of a SYN-ACK as the server when the SYN was not captured', () => {
    const r = flowsOf([tcpFrame({ src: '10.0.0.2', dst: '10.0.0.1', sport: 40000, dport: 50000, flags: SYN | ACK })]);
    expect(r.flows[0]).toMatchObject({ source: { ip: '10.0.0.1' }, destination: { ip: '10.0.0.2', port: 40000 } });
  });

  it('starts a new connection when a closed 4-tuple is reused', () => {
    const one = tcpConversation('10.0.0.1', '10.0.0.2', 40000, 80, [GET('/1')]);
    const two = tcpConversation('10.0.0.1', '10.0.0.2', 40000, 80, [GET('/2')]);
    expect(flowsOf([...one, ...two]).flows.map((f) => f.id)).toEqual(['cap#1.1', 'cap#2.1']);
  });

  it('closes connections idle longer than the timeout, and the oldest when the table is full', () => {
    const open = (sport: number, seconds: number): Frame => ({ bytes: tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport, dport: 80, flags: SYN }), seconds });
    const idle = flowsOf([open(1, 0), ...Array.from({ length: 2100 }, (_, i) => ({ bytes: udpFrame('10.0.0.3', '10.0.0.4', 53, 53), seconds: i }))], { idleTimeoutSeconds: 10 });
    expect(idle.summary.connections.evictedIdle).toBeGreaterThanOrEqual(1);
    const full = flowsOf(Array.from({ length: 50 }, (_, i) => open(1000 + i, 1)), { maxConnections: 10 });
    expect(full.summary.connections.evictedFull).toBeGreaterThan(0);
    expect(full.flows).toHaveLength(50);
  });

  it('makes one flow per UDP conversation, whichever side sends', () => {
    const r = flowsOf([udpFrame('10.0.0.1', '10.96.0.10', 5353, 53, 'q'), udpFrame('10.96.0.10', '10.0.0.1', 53, 5353, 'a'), udpFrame('10.0.0.1', '10.96.0.10', 5353, 53, 'q')]);
    expect(r.flows.map((f) => [f.protocol, f.destination.port])).toEqual([['udp', 53]]);
  });

  it('counts packets of no open connection as stray rather than inventing connections', () => {
    const r = flowsOf([tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, flags: FIN | ACK }), tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, flags: 0x04 })]);
    expect(r.flows).toEqual([]);
    expect(r.summary.connections.strayPackets).toBe(2);
  });

  it('times flows from the first packet of the capture', () => {
    const frames = tcpConversation('10.0.0.1', '10.0.0.2', 40000, 80, [GET('/t')]).map((bytes, i) => ({ bytes, seconds: 500, fraction: i * 100_000 }));
    expect(flowsOf(frames).flows[0]?.time).toBeCloseTo(0.3, 6);
  });

  it('buffers at most maxBufferedBytes of unfinished client bytes across connections, stops reading those past it, and gives every byte back', () => {
    const req = GET('/held');
    const seg = (sport: number, seq: number, payload: string) => tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport, dport: 80, flags: ACK | PSH, seq, payload });
    const ports = Array.from({ length: 20 }, (_, i) => 2000 + i);
    const frames = [
      ...ports.flatMap((sport) => [tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport, dport: 80, flags: SYN, seq: 99 }), seg(sport, 120, req.slice(20))]),
      ...ports.map((sport) => seg(sport, 100, req.slice(0, 20))),
    ];
    const flows: Flow[] = [];
    const extractor = new CaptureFlowExtractor({ name: 'cap', maxBufferedBytes: 5 * req.slice(20).length }, (f) => flows.push(f));
    const reader = new CaptureReader((p) => extractor.packet(p));
    const file = pcapFile(frames.map((bytes, i) => ({ bytes, seconds: 1000 + i })));
    const beforeFills = 24 + frames.slice(0, 40).reduce((n, f) => n + 16 + f.length, 0);
    reader.push(file.subarray(0, beforeFills));
    expect(extractor.buffers.used).toBe(5 * req.slice(20).length);
    reader.push(file.subarray(beforeFills));
    reader.finish();
    extractor.finish();
    expect(flows.filter((f) => f.protocol === 'http').map((f) => f.id)).toEqual(['cap#1.1', 'cap#2.1', 'cap#3.1', 'cap#4.1', 'cap#5.1']);
    expect(Object.values(extractor.connections.l7Stopped)).toEqual([15]);
    expect(Object.keys(extractor.connections.l7Stopped)[0]).toMatch(/buffer more unfinished client bytes than the 65 the replay keeps/);
    expect(extractor.buffers.used).toBe(0);
  });
});
