import { u16be } from './bytes.js';
import { isToken, latin1Text } from './latin1.js';

/** What the first client bytes of a connection say about its application protocol. */
export type StreamStart =
  | { readonly kind: 'http1' }
  | { readonly kind: 'tls'; readonly sni?: string }
  | { readonly kind: 'http2' }
  | { readonly kind: 'opaque' }
  | { readonly kind: 'need-more' };

const H2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const CR = 13;
const LF = 10;
const HTTP1: StreamStart = { kind: 'http1' };
const HTTP2: StreamStart = { kind: 'http2' };
const OPAQUE: StreamStart = { kind: 'opaque' };
const NEED_MORE: StreamStart = { kind: 'need-more' };
const TLS: StreamStart = { kind: 'tls' };

/** Index past the CR and LF bytes at `p`, then past at most `max + 1` token bytes (so a run longer than `max` shows). */
function skipToken(b: Uint8Array, p: number, e: number, max: number): number {
  const from = p;
  while (p < e && p - from <= max && isToken(b[p] as number)) p++;
  return p;
}

function skipLineBreaks(b: Uint8Array, p: number, e: number): number {
  while (p < e && (b[p] === CR || b[p] === LF)) p++;
  return p;
}

/**
 * Classifies a client stream from its first bytes `b[s..e)`: a TLS handshake record (RFC 8446 5.1,
 * content type 22) with the SNI of its ClientHello, the HTTP/2 connection preface (RFC 9113 3.4,
 * "prior knowledge" h2c), an HTTP/1 request line (CR/LF, a method of 1 to 24 token characters, a
 * space, within the first 32 bytes), or something else.
 */
export function classifyStreamStart(b: Uint8Array, s = 0, e = b.length): StreamStart {
  if (e === s) return NEED_MORE;
  if (b[s] === 0x16) {
    if (e - s < 3) return NEED_MORE;
    return b[s + 1] === 3 ? tls(b.subarray(s, e)) : OPAQUE;
  }
  const headEnd = Math.min(e, s + 32);
  let preface = 0;
  while (preface < H2_PREFACE.length && s + preface < headEnd && b[s + preface] === H2_PREFACE.charCodeAt(preface)) preface++;
  if (s + preface === headEnd && preface < H2_PREFACE.length) return NEED_MORE;
  if (preface === H2_PREFACE.length) return HTTP2;
  const method = skipLineBreaks(b, s, headEnd);
  const methodEnd = skipToken(b, method, headEnd, 24);
  if (methodEnd > method && methodEnd - method <= 24 && methodEnd < headEnd && b[methodEnd] === 32) return HTTP1;
  if (e - s < 25) {
    let p = skipLineBreaks(b, s, e);
    while (p < e && isToken(b[p] as number)) p++;
    if (p === e) return NEED_MORE;
  }
  return OPAQUE;
}

/** Reads the SNI (RFC 6066 section 3) from a ClientHello; a TLS stream without a readable one has no `sni`. */
function tls(b: Uint8Array): StreamStart {
  if (b.length < 5) return NEED_MORE;
  const recordLength = u16be(b, 3);
  if (b.length < 5 + recordLength && b.length < 5 + 16384) return NEED_MORE;
  const end = Math.min(b.length, 5 + recordLength);
  let p = 5;
  if (b[p] !== 1) return TLS;
  p += 4 + 2 + 32;
  if (p >= end) return TLS;
  p += 1 + (b[p] as number);
  if (p + 2 > end) return TLS;
  p += 2 + u16be(b, p);
  if (p + 1 > end) return TLS;
  p += 1 + (b[p] as number);
  if (p + 2 > end) return TLS;
  const extensionsEnd = Math.min(end, p + 2 + u16be(b, p));
  p += 2;
  while (p + 4 <= extensionsEnd) {
    const type = u16be(b, p);
    const length = u16be(b, p + 2);
    if (type === 0) return { kind: 'tls', ...serverName(b, p + 4, Math.min(extensionsEnd, p + 4 + length)) };
    p += 4 + length;
  }
  return TLS;
}

function serverName(b: Uint8Array, p: number, end: number): { sni?: string } {
  let q = p + 2;
  while (q + 3 <= end) {
    const type = b[q] as number;
    const length = u16be(b, q + 1);
    if (type === 0 && q + 3 + length <= end) return { sni: latin1Text(b, q + 3, q + 3 + length) };
    q += 3 + length;
  }
  return {};
}
