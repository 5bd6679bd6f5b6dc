/** How the numbers of one id prefix are laid out: entries per page, and pages allowed per number held. */
export interface NumberedIdsLayout {
  /** Numbers per page (each page holds one 32-bit line per number). */
  readonly pageSize: number;
  /** A page is added only while pages × pageSize stays within this many slots per number held. */
  readonly slotsPerNumber: number;
}

export const DEFAULT_LAYOUT: NumberedIdsLayout = { pageSize: 1024, slotsPerNumber: 16 };

/** A page slot holds a line from 1 to 2^32 - 1 (0 marks a number not seen); other lines are kept in the spill map. */
const fitsPage = (line: number): boolean => line >= 1 && line <= 0xffff_ffff;

/**
 * The ids of one prefix that end in a decimal number (`f0`, `f1`, … for prefix `f`), as the first
 * line of each number: 4 bytes per number in pages of consecutive numbers, allocated while the
 * numbers are dense enough; a number whose page is not allocated (sparse numbers) is kept in a map.
 * Exact: a number is looked for in its page and in the map.
 */
export class NumberedIds {
  private readonly pages = new Map<number, Uint32Array>();
  private readonly spill = new Map<number, number>();
  private held = 0;
  private lastIndex = -1;
  private lastPage: Uint32Array | undefined;

  constructor(private readonly layout: NumberedIdsLayout = DEFAULT_LAYOUT) {}

  /** Records that `n` is at `line` unless it was seen before; returns the line it was first seen at, if it was. */
  firstLine(n: number, line: number): number | undefined {
    const index = Math.floor(n / this.layout.pageSize);
    const slot = n - index * this.layout.pageSize;
    let page = this.page(index);
    if (page !== undefined && page[slot] !== 0) return page[slot];
    if (this.spill.size > 0) {
      const first = this.spill.get(n);
      if (first !== undefined) return first;
    }
    this.held++;
    page ??= this.newPage(index);
    if (page !== undefined && fitsPage(line)) page[slot] = line;
    else this.spill.set(n, line);
    return undefined;
  }

  /** Bytes held by pages and the number of spilled numbers (for tests of the layout). */
  get footprint(): { readonly pageBytes: number; readonly spilled: number } {
    return { pageBytes: this.pages.size * this.layout.pageSize * 4, spilled: this.spill.size };
  }

  /** The page of `index`, if allocated; the last one asked for is kept at hand (ids tend to come in order). */
  private page(index: number): Uint32Array | undefined {
    if (index !== this.lastIndex) {
      this.lastIndex = index;
      this.lastPage = this.pages.get(index);
    }
    return this.lastPage;
  }

  /**
   * A new page for `index` when the numbers held are dense enough to pay for it. While the spill map
   * is small, the numbers it holds for that page move in, so ids in order soon leave it empty.
   */
  private newPage(index: number): Uint32Array | undefined {
    const { pageSize, slotsPerNumber } = this.layout;
    if ((this.pages.size + 1) * pageSize > slotsPerNumber * this.held) return undefined;
    const page = new Uint32Array(pageSize);
    this.pages.set(index, page);
    this.lastIndex = index;
    this.lastPage = page;
    if (this.spill.size <= pageSize / slotsPerNumber) this.moveIn(index, page);
    return page;
  }

  private moveIn(index: number, page: Uint32Array): void {
    const start = index * this.layout.pageSize;
    for (const [n, line] of this.spill) {
      if (n >= start && n < start + this.layout.pageSize && fitsPage(line)) {
        page[n - start] = line;
        this.spill.delete(n);
      }
    }
  }
}
