import { u16be } from './bytes.js';

/** What the first client bytes of a connection say about its application protocol. */
export type StreamStart =
  | { readonly kind: 'http1' }
  | { readonly kind: 'tls'; readonly sni?: string }
  | { readonly kind: 'http2' }
  | { readonly kind: 'opaque' }
  | { readonly kind: 'need-more' };

const H2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const METHOD_START = /^[\r\n]*[!#$%&'*+.^_`|~0-9A-Za-z-]{1,24} /;
const latin1 = new TextDecoder('latin1');

/**
 * Classifies a client stream from its first bytes: a TLS handshake record (RFC 8446 5.1, content type
 * 22) with the SNI of its ClientHello, the HTTP/2 connection preface (RFC 9113 3.4, "prior knowledge"
 * h2c), an HTTP/1 request line, or something else.
 */
export function classifyStreamStart(b: Uint8Array): StreamStart {
  if (b.length === 0) return { kind: 'need-more' };
  if (b[0] === 0x16) {
    if (b.length < 3) return { kind: 'need-more' };
    return b[1] === 3 ? tls(b) : { kind: 'opaque' };
  }
  const head = latin1.decode(b.subarray(0, Math.min(b.length, 32)));
  if (head.length < H2_PREFACE.length && H2_PREFACE.startsWith(head)) return { kind: 'need-more' };
  if (head.startsWith(H2_PREFACE)) return { kind: 'http2' };
  if (METHOD_START.test(head)) return { kind: 'http1' };
  if (b.length < 25 && /^[\r\n]*[!#$%&'*+.^_`|~0-9A-Za-z-]*$/.test(head)) return { kind: 'need-more' };
  return { kind: 'opaque' };
}

/** Reads the SNI (RFC 6066 section 3) from a ClientHello; a TLS stream without a readable one has no `sni`. */
function tls(b: Uint8Array): StreamStart {
  if (b.length < 5) return { kind: 'need-more' };
  const recordLength = u16be(b, 3);
  if (b.length < 5 + recordLength && b.length < 5 + 16384) return { kind: 'need-more' };
  const end = Math.min(b.length, 5 + recordLength);
  let p = 5;
  if (b[p] !== 1) return { kind: 'tls' };
  p += 4 + 2 + 32;
  if (p >= end) return { kind: 'tls' };
  p += 1 + (b[p] as number);
  if (p + 2 > end) return { kind: 'tls' };
  p += 2 + u16be(b, p);
  if (p + 1 > end) return { kind: 'tls' };
  p += 1 + (b[p] as number);
  if (p + 2 > end) return { kind: 'tls' };
  const extensionsEnd = Math.min(end, p + 2 + u16be(b, p));
  p += 2;
  while (p + 4 <= extensionsEnd) {
    const type = u16be(b, p);
    const length = u16be(b, p + 2);
    if (type === 0) return { kind: 'tls', ...serverName(b, p + 4, Math.min(extensionsEnd, p + 4 + length)) };
    p += 4 + length;
  }
  return { kind: 'tls' };
}

function serverName(b: Uint8Array, p: number, end: number): { sni?: string } {
  let q = p + 2;
  while (q + 3 <= end) {
    const type = b[q] as number;
    const length = u16be(b, q + 1);
    if (type === 0 && q + 3 + length <= end) return { sni: latin1.decode(b.subarray(q + 3, q + 3 + length)) };
    q += 3 + length;
  }
  return {};
}
