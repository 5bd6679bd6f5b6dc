import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http1RequestStream, type Http1Request } from '../../../src/load/capture/http1-request-stream.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function read(pieces: readonly string[]): { requests: Http1Request[]; stream: Http1RequestStream } {
  const requests: Http1Request[] = [];
  const stream = new Http1RequestStream((r) => requests.push(r));
  for (const p of pieces) {
    const b = enc(p);
    stream.feed(b, 0, b.length);
  }
  return { requests, stream };
}

const KEEP_ALIVE = [
  'GET /api/v1/payments/pay_8f2a?expand=1 HTTP/1.1\r\nHost: payments.example\r\nX-Request-Id: a\r\n\r\n',
  'POST /api/v1/payments HTTP/1.1\r\nHost: payments.example\r\nContent-Length: 15\r\nContent-Type: application/json\r\n\r\n{"amount":4200}',
  'PUT /orders/7 HTTP/1.1\r\nHost: orders\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n',
  'DELETE /orders/7 HTTP/1.0\r\nhost: orders\r\n\r\n',
].join('');

describe('Http1RequestStream (RFC 9112 message framing)', () => {
  it('reads keep-alive requests with Content-Length and chunked bodies', () => {
    const { requests, stream } = read([KEEP_ALIVE]);
    expect(requests.map((r) => `${r.method} ${r.path} ${r.host}`)).toEqual([
      'GET /api/v1/payments/pay_8f2a?expand=1 payments.example', 'POST /api/v1/payments payments.example', 'PUT /orders/7 orders', 'DELETE /orders/7 orders',
    ]);
    expect(requests[0]?.headers).toMatchObject({ 'x-request-id': 'a', host: 'payments.example' });
    expect(stream.stopped).toBe(false);
  });

  it('gives the same requests however the stream is cut into segments', () => {
    const whole = read([KEEP_ALIVE]).requests;
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: KEEP_ALIVE.length }), { maxLength: 12 }), (cuts) => {
      const points = [...new Set([0, ...cuts, KEEP_ALIVE.length])].sort((a, b) => a - b);
      const pieces = points.slice(1).map((end, i) => KEEP_ALIVE.slice(points[i], end));
      expect(read(pieces).requests).toEqual(whole);
    }), { numRuns: 300 });
  });

  it('takes the path and host from an absolute-form target (a request to a proxy)', () => {
    expect(read(['GET http://api.example:8080/v1/x?y=1 HTTP/1.1\r\n\r\n']).requests[0]).toMatchObject({ path: '/v1/x?y=1', host: 'api.example:8080' });
  });

  it('joins repeated headers with a comma, and lower-cases header names', () => {
    expect(read(['GET / HTTP/1.1\r\nX-A: 1\r\nx-a: 2\r\n\r\n']).requests[0]?.headers['x-a']).toBe('1,2');
  });

  it('stops after an Upgrade: h2c request, since the rest is HTTP/2', () => {
    const { requests, stream } = read(['GET / HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n\x00\x00\x12\x04']);
    expect(requests[0]?.upgrade).toBe('h2c');
    expect(stream.stopReason).toMatch(/switches to h2c/);
  });

  it.each([
    ['binary bytes', '\x00\x00\x00\x08\x04\xd2\x16\x2f', /not an HTTP\/1 request/],
    ['a request line without a version', 'GET /\r\n\r\n', /not an HTTP\/1 request line/],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nbroken\r\n\r\n', /malformed header line/],
    ['a bad Content-Length', 'POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n', /bad Content-Length/],
    ['a bad chunk size', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size/],
  ])('stops, with a reason, at %s', (_what, text, reason) => {
    expect(read([text]).stream.stopReason).toMatch(reason);
  });

  it('skips bytes missing from the capture inside a body, and stops when they are in a head', () => {
    const s = read(['POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789']).stream;
    s.gap(90);
    const next = enc('GET /next HTTP/1.1\r\n\r\n');
    const seen: string[] = [];
    const s2 = new Http1RequestStream((r) => seen.push(r.path));
    const head = enc('POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789');
    s2.feed(head, 0, head.length);
    s2.gap(90);
    s2.feed(next, 0, next.length);
    expect(seen).toEqual(['/', '/next']);
    expect(s.stopped).toBe(false);
    const s3 = read(['GET /a HTTP/1.1\r\nHo']).stream;
    s3.gap(10);
    expect(s3.stopReason).toMatch(/missing from the capture/);
  });
});
