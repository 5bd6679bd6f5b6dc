/**
 * Request lines and header lines seen before, with what they parsed to: traffic repeats the same
 * `Host:`, `User-Agent:` and request lines, and a line found here costs one byte comparison instead of
 * a parse. Each line has two candidate slots of {@link SLOTS}, chosen by a hash of its length, its
 * first 4 and its last 20 bytes (where a request target ends); a hit is checked byte by byte, a new
 * line takes the first slot and moves what was there to the second. The lines' bytes lie in one
 * arena of {@link SLOTS} × {@link MAX_LINE} bytes (a slot's line at `slot * MAX_LINE`, its length
 * apart, 0 for an empty slot), so a lookup reads two typed arrays and no object per line. Bounded:
 * at most 4,096 lines of at most {@link MAX_LINE} bytes (under 2 MB with their strings) per cache.
 */
const SLOTS = 4096;
export const MAX_LINE = 128;

export class Http1LineCache {
  private readonly bytes = new Uint8Array(SLOTS * MAX_LINE);
  private readonly lengths = new Int32Array(SLOTS);
  private readonly firsts: string[] = new Array<string>(SLOTS).fill('');
  private readonly seconds: string[] = new Array<string>(SLOTS).fill('');
  /** The two parts of the line last found by {@link find}. */
  first = '';
  second = '';

  /** True when `b[s..e)` is a line seen before; its parts are then in `first` and `second`. */
  find(b: Uint8Array, s: number, e: number): boolean {
    if (e === s || e - s > MAX_LINE) return false;
    const slot = slotOf(b, s, e);
    return this.at(slot, b, s, e) || this.at(slot ^ 1, b, s, e);
  }

  /** Remembers what `b[s..e)` parsed to. */
  keep(b: Uint8Array, s: number, e: number, first: string, second: string): void {
    if (e === s || e - s > MAX_LINE) return;
    const slot = slotOf(b, s, e);
    const other = slot ^ 1;
    const bytes = this.bytes;
    const base = slot * MAX_LINE;
    bytes.copyWithin(other * MAX_LINE, base, base + (this.lengths[slot] as number));
    this.lengths[other] = this.lengths[slot] as number;
    this.firsts[other] = this.firsts[slot] as string;
    this.seconds[other] = this.seconds[slot] as string;
    for (let i = s; i < e; i++) bytes[base + i - s] = b[i] as number;
    this.lengths[slot] = e - s;
    this.firsts[slot] = first;
    this.seconds[slot] = second;
  }

  private at(slot: number, b: Uint8Array, s: number, e: number): boolean {
    if (this.lengths[slot] !== e - s) return false;
    const bytes = this.bytes;
    const offset = slot * MAX_LINE - s;
    for (let i = s; i < e; i++) if (bytes[offset + i] !== b[i]) return false;
    this.first = this.firsts[slot] as string;
    this.second = this.seconds[slot] as string;
    return true;
  }
}

function slotOf(b: Uint8Array, s: number, e: number): number {
  const length = e - s;
  let h = Math.imul(length, 0x9e3779b1);
  const head = Math.min(e, s + 4);
  for (let i = s; i < head; i++) h = Math.imul(h ^ (b[i] as number), 16777619);
  for (let i = Math.max(head, e - 20); i < e; i++) h = Math.imul(h ^ (b[i] as number), 16777619);
  return (h ^ (h >>> 15)) & (SLOTS - 1);
}
