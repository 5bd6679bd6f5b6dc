/**
 * A read-mostly map from strings to values, for the names and addresses flows are looked up by: one
 * open-addressing table whose hash is computed in a single pass over the looked-up string, then
 * compared exactly (a stored hash, then the string itself), so any string finds what a Map would.
 * A Map hashes a string it has not seen before in the runtime; a flow's strings are fresh, so each
 * lookup of a Map paid that call.
 */
export class NameTable<V> {
  private mask = 15;
  private keys: (string | null)[] = new Array<string | null>(16).fill(null);
  private hashes = new Int32Array(16);
  private values: (V | null)[] = new Array<V | null>(16).fill(null);
  /** Keys held. */
  size = 0;

  /** The value of `key`, or null. */
  get(key: string): V | null {
    const h = nameHash(key);
    const mask = this.mask;
    const keys = this.keys;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = keys[s];
      if (k === null) return null;
      if (this.hashes[s] === h && k === key) return this.values[s] as V;
    }
  }

  has(key: string): boolean {
    return this.slotOf(key, nameHash(key)) >= 0;
  }

  /** Sets `key` to `value` (replacing a value it had). */
  set(key: string, value: V): void {
    const h = nameHash(key);
    const at = this.slotOf(key, h);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    if (2 * (this.size + 1) > this.mask + 1) this.grow();
    this.put(key, h, value);
    this.size++;
  }

  private slotOf(key: string, h: number): number {
    const mask = this.mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = this.keys[s];
      if (k === null) return -1;
      if (this.hashes[s] === h && k === key) return s;
    }
  }

  private put(key: string, h: number, value: V): void {
    const mask = this.mask;
    let s = h & mask;
    while (this.keys[s] !== null) s = (s + 1) & mask;
    this.keys[s] = key;
    this.hashes[s] = h;
    this.values[s] = value;
  }

  private grow(): void {
    const { keys, hashes, values } = this;
    const size = 2 * (this.mask + 1);
    this.mask = size - 1;
    this.keys = new Array<string | null>(size).fill(null);
    this.hashes = new Int32Array(size);
    this.values = new Array<V | null>(size).fill(null);
    for (let s = 0; s < keys.length; s++) {
      const k = keys[s];
      if (k !== null && k !== undefined) this.put(k, hashes[s] as number, values[s] as V);
    }
  }
}

/** FNV-1a over the string's UTF-16 code units, mixed so that the low bits (the slot) depend on every unit. */
export function nameHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}
