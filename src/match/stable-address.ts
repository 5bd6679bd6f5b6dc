/** FNV-1a 32-bit hash of a string: stable across runs and platforms. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A stable IPv4 address in `base`/16 (e.g. `10.255`) for `key`, avoiding every address in `taken`
 * (which it extends). Same key and same taken set give the same address.
 */
export function stableAddress(base: string, key: string, taken: Set<string>): string {
  const h = fnv1a(key);
  for (let attempt = 0; attempt < 65536; attempt++) {
    const low = (h + attempt) & 0xffff;
    const third = low >>> 8;
    const fourth = low & 0xff;
    if (fourth === 0 || fourth === 255) continue;
    const ip = `${base}.${third}.${fourth}`;
    if (!taken.has(ip)) {
      taken.add(ip);
      return ip;
    }
  }
  throw new Error(`address range ${base}.0.0/16 is exhausted`);
}
