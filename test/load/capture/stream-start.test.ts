import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyStreamStart } from '../../../src/load/capture/stream-start.js';

/** The regular expressions the byte-level classifier replaced, over the first 32 bytes as latin1 text; TLS records go to the unchanged ClientHello reader. */
function reference(b: Uint8Array): string {
  if (b.length === 0) return 'need-more';
  if (b[0] === 0x16) return b.length < 3 ? 'need-more' : b[1] === 3 ? classifyStreamStart(b.slice()).kind : 'opaque';
  const preface = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
  const head = new TextDecoder('latin1').decode(b.subarray(0, Math.min(b.length, 32)));
  if (head.length < preface.length && preface.startsWith(head)) return 'need-more';
  if (head.startsWith(preface)) return 'http2';
  if (/^[\r\n]*[!#$%&'*+.^_`|~0-9A-Za-z-]{1,24} /.test(head)) return 'http1';
  if (b.length < 25 && /^[\r\n]*[!#$%&'*+.^_`|~0-9A-Za-z-]*$/.test(head)) return 'need-more';
  return 'opaque';
}

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 255);

describe('classifyStreamStart() reads the first client bytes', () => {
  it.each([
    ['GET / HTTP/1.1\r\n', 'http1'], ['\r\nPOST /x', 'http1'], ['GE', 'need-more'], ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'http2'], ['PRI * HT', 'need-more'],
    ['\x00\x01binary', 'opaque'], [`${'A'.repeat(25)} /`, 'opaque'], [`${'A'.repeat(24)} /`, 'http1'],
  ])('classifies %j as %s', (text, kind) => {
    expect(classifyStreamStart(bytes(text)).kind).toBe(kind);
  });

  it('agrees with the regular expressions it replaced on any bytes, at any offset of a larger buffer', () => {
    const alphabet = fc.constantFrom(...'PRI * HTTP/2.0\r\nSMGET \t\xa0\x16\x03-~:'.split(''), 'A'.repeat(12), 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    fc.assert(fc.property(fc.array(fc.oneof(alphabet, fc.string({ maxLength: 3 })), { maxLength: 12 }), fc.nat({ max: 5 }), (parts, pad) => {
      const b = bytes(parts.join(''));
      const padded = new Uint8Array(pad + b.length + pad).fill(32);
      padded.set(b, pad);
      expect(classifyStreamStart(padded, pad, pad + b.length).kind).toBe(reference(b));
    }), { numRuns: 3000 });
  });
});
