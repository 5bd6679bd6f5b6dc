/** Unsigned little- and big-endian reads from a byte array, without DataView allocation. */
export function u16le(b: Uint8Array, o: number): number {
  return (b[o] as number) | ((b[o + 1] as number) << 8);
}

export function u16be(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

export function u32le(b: Uint8Array, o: number): number {
  return ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
}

export function u32be(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

export function u16(b: Uint8Array, o: number, littleEndian: boolean): number {
  return littleEndian ? u16le(b, o) : u16be(b, o);
}

export function u32(b: Uint8Array, o: number, littleEndian: boolean): number {
  return littleEndian ? u32le(b, o) : u32be(b, o);
}

/**
 * Splits the 64-bit count `high * 2^32 + low` of `unitsPerSecond` units into whole seconds and
 * nanoseconds, exactly, with 16-bit long division (no BigInt, no precision loss).
 */
export function splitTimestamp(high: number, low: number, unitsPerSecond: number, out: { seconds: number; nanoseconds: number }): void {
  const q1 = Math.floor(high / unitsPerSecond);
  const r1 = high - q1 * unitsPerSecond;
  const b = r1 * 65536 + (low >>> 16);
  const q2 = Math.floor(b / unitsPerSecond);
  const r2 = b - q2 * unitsPerSecond;
  const c = r2 * 65536 + (low & 0xffff);
  const q3 = Math.floor(c / unitsPerSecond);
  const r3 = c - q3 * unitsPerSecond;
  out.seconds = q1 * 4294967296 + q2 * 65536 + q3;
  out.nanoseconds = unitsPerSecond === 1e9 ? r3 : Math.floor((r3 * 1e9) / unitsPerSecond);
}
