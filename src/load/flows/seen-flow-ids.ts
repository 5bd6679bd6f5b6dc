import { DEFAULT_LAYOUT, NumberedIds, type NumberedIdsLayout } from './numbered-ids.js';

/** The longest decimal number an id may end in to be kept by number (below 2^53, so exact as a double). */
const MAX_DIGITS = 15;

export interface SeenFlowIdsOptions {
  readonly layout?: NumberedIdsLayout;
  /** Prefixes kept by number, at most; ids of further prefixes are kept whole. */
  readonly maxPrefixes?: number;
}

/**
 * The flow ids seen so far and the line each was first seen at, for the `duplicate-flow-id` warning.
 * An id made of a prefix and a decimal number without leading zeros (`f17`, `flow-3`, `42`) is kept
 * as that number in its prefix's pages (4 bytes per id when the numbers are dense); any other id is
 * kept whole in a map. Exact: each id has one place, decided by the id alone.
 */
export class SeenFlowIds {
  private readonly whole = new Map<string, number>();
  private readonly prefixes = new Map<string, NumberedIds>();
  private readonly layout: NumberedIdsLayout;
  private readonly maxPrefixes: number;
  private lastPrefix = '';
  private lastNumbers: NumberedIds | undefined;

  constructor(options: SeenFlowIdsOptions = {}) {
    this.layout = options.layout ?? DEFAULT_LAYOUT;
    this.maxPrefixes = options.maxPrefixes ?? 4096;
  }

  /** Records `id` at `line` unless it was seen before; returns the line it was first seen at, if it was. */
  firstLine(id: string, line: number): number | undefined {
    const start = numberStart(id);
    const numbers = start === -1 ? undefined : this.numbersOf(id, start);
    if (numbers === undefined) return this.wholeFirstLine(id, line);
    return numbers.firstLine(decimalFrom(id, start), line);
  }

  /** Ids kept whole (for tests of the layout). */
  get wholeIds(): number {
    return this.whole.size;
  }

  private wholeFirstLine(id: string, line: number): number | undefined {
    const first = this.whole.get(id);
    if (first === undefined) this.whole.set(id, line);
    return first;
  }

  /** The numbers of the prefix `id.slice(0, start)`, made at its first id while there is room for another prefix. */
  private numbersOf(id: string, start: number): NumberedIds | undefined {
    if (this.lastNumbers !== undefined && start === this.lastPrefix.length && id.startsWith(this.lastPrefix)) return this.lastNumbers;
    const prefix = id.slice(0, start);
    let numbers = this.prefixes.get(prefix);
    if (numbers === undefined) {
      // A prefix is given numbers only at its first id, so a prefix left out once is left out for good.
      if (this.prefixes.size >= this.maxPrefixes) return undefined;
      numbers = new NumberedIds(this.layout);
      this.prefixes.set(prefix, numbers);
    }
    this.lastPrefix = prefix;
    this.lastNumbers = numbers;
    return numbers;
  }
}

/**
 * Where the decimal number that ends `id` starts, or -1 when it does not end in one that can stand
 * for its digits: no digits, more than MAX_DIGITS, or a leading zero (`f07` is not `f7`).
 */
export function numberStart(id: string): number {
  let i = id.length;
  while (i > 0 && isDigit(id.charCodeAt(i - 1))) i--;
  const digits = id.length - i;
  if (digits === 0 || digits > MAX_DIGITS) return -1;
  if (digits > 1 && id.charCodeAt(i) === 48) return -1;
  return i;
}

function decimalFrom(id: string, start: number): number {
  let n = 0;
  for (let i = start; i < id.length; i++) n = n * 10 + id.charCodeAt(i) - 48;
  return n;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
