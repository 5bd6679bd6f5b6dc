import fc from 'fast-check';

/** editcap -E style mutations of a capture: a byte flipped, the file cut, a 32-bit field (a length, a snaplen, a magic) overwritten. */
export type CaptureMutation =
  | { readonly op: 'flip'; readonly at: number; readonly bits: number }
  | { readonly op: 'cut'; readonly at: number }
  | { readonly op: 'length'; readonly at: number; readonly value: number };

export const captureMutation: fc.Arbitrary<CaptureMutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('length' as const), at: fc.nat(), value: fc.constantFrom(0, 3, 13, 0xffffffff, 262_145, 65_536) }),
);

/** A copy of `bytes` with the mutations applied in order (a 32-bit field is written little-endian, at a multiple of 4). */
export function mutateCapture(bytes: Uint8Array, mutations: readonly CaptureMutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    if (out.length < 8) break;
    const at = m.at % out.length;
    if (m.op === 'flip') out[at] = (out[at] as number) ^ m.bits;
    else if (m.op === 'cut') out = out.slice(0, at);
    else new DataView(out.buffer).setUint32(Math.min(at - (at % 4), out.length - 4), m.value, true);
  }
  return out;
}
