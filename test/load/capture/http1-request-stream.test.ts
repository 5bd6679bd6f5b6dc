import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http1RequestStream, type Http1Request } from '../../../src/load/capture/http1-request-stream.js';
import { ReferenceHttp1RequestStream } from './http1-reference.js';
import { Http1LineCache } from '../../../src/load/capture/http1-line-cache.js';

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

/** Pieces HTTP/1 streams are made of, valid and not, with latin1 bytes beyond ASCII. */
const piece = fc.oneof(
  fc.constantFrom('GET', 'POST', 'M-SEARCH', 'get', '', ' ', '  ', '\t', '\r\n', '\n', '\r', '\r\r\n', ':', ';', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0',
    '/a?b=1', 'http://h.example:8/p', 'Host', 'host: x', 'Content-Length', 'content-length: 3', 'Transfer-Encoding: chunked', 'Connection: upgrade',
    'Upgrade: WebSocket', 'X-A', '\xa0', '\xc9T\xc0', '\x85', '0', '5;x=1', 'zz', 'abc'),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
);
const request = fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PURGE', 'BREW'), fc.constantFrom('/', '/x/\xe9', 'http://a.b/c', 'https://h', '*'),
  fc.constantFrom('1.1', '1.0'), fc.array(fc.tuple(fc.constantFrom('Host', 'HOST', ' x-B', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Upgrade', 'Connection', 'N\xc0me'),
    fc.constantFrom(' a', '0', ' 2 ', 'chunked', 'h2c', 'Upgrade', '\xa0v\xa0', '')), { maxLength: 5 }), fc.constantFrom('', 'abc', '3\r\nabc\r\n0\r\n\r\n', '\r\n'))
  .map(([m, t, v, hs, tail]) => `${m} ${t} HTTP/${v}\r\n${hs.map(([n, x]) => `${n}:${x}\r\n`).join('')}\r\n${tail}`);
const latin1Bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 255);

describe('the byte-level HTTP/1 reader agrees with the string-level reference', () => {
  it('reads the same requests and stops for the same reason on any stream, cut anywhere, with gaps', () => {
    const event = fc.oneof({ weight: 4, arbitrary: fc.array(fc.oneof(request, piece), { minLength: 1, maxLength: 8 }).map((p) => ({ bytes: latin1Bytes(p.join('')) })) },
      { weight: 1, arbitrary: fc.nat({ max: 12 }).map((gap) => ({ gap })) });
    fc.assert(fc.property(fc.array(event, { maxLength: 10 }), (events) => {
      const seen: Http1Request[] = [];
      const expected: unknown[] = [];
      const stream = new Http1RequestStream((r) => seen.push(r));
      const reference = new ReferenceHttp1RequestStream((r) => expected.push(r));
      for (const e of events) {
        if ('gap' in e) {
          stream.gap(e.gap);
          reference.gap(e.gap);
          continue;
        }
        const at = Math.floor(e.bytes.length / 2);
        for (const [from, to] of [[0, at], [at, e.bytes.length]] as const) {
          stream.feed(e.bytes, from, to);
          reference.feed(e.bytes, from, to);
        }
      }
      expect(seen).toEqual(expected);
      expect([stream.stopped, stream.stopReason, stream.requests]).toEqual([reference.stopped, reference.stopReason, reference.requests]);
    }), { numRuns: 3000 });
  });

  it('stops at the same point on heads longer than the limit, fed one large segment at a time', () => {
    const long = latin1Bytes(`GET /${'a'.repeat(70_000)} HTTP/1.1\r\n\r\n`);
    const stream = new Http1RequestStream(() => {});
    const reference = new ReferenceHttp1RequestStream(() => {});
    stream.feed(long, 0, long.length);
    reference.feed(long, 0, long.length);
    expect(stream.stopReason).toMatch(/longer than 65536 bytes/);
    expect(stream.stopReason).toBe(reference.stopReason);
    expect(stream.bufferedBytes).toBe(0);
  });
});

describe('Http1LineCache', () => {
  it('never mistakes a line for another that shares its slots, and keeps both', () => {
    const cache = new Http1LineCache();
    // Same length, same first 4 and last 20 bytes: the same pair of slots.
    const a = latin1Bytes(`Host: aaaa${'x'.repeat(20)}`);
    const b = latin1Bytes(`Host: bbbb${'x'.repeat(20)}`);
    const c = latin1Bytes(`Host: cccc${'x'.repeat(20)}`);
    cache.keep(a, 0, a.length, 'host', 'a');
    expect(cache.find(b, 0, b.length)).toBe(false);
    cache.keep(b, 0, b.length, 'host', 'b');
    expect([cache.find(a, 0, a.length), cache.second]).toEqual([true, 'a']);
    expect([cache.find(b, 0, b.length), cache.second]).toEqual([true, 'b']);
    cache.keep(c, 0, c.length, 'host', 'c');
    expect(cache.find(a, 0, a.length)).toBe(false);
    expect([cache.find(c, 0, c.length), cache.second]).toEqual([true, 'c']);
  });
});
