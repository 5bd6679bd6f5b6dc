import { escapeText } from '../escape-text.js';
import { PAGE_LAYOUT, type PageExplanation } from './page-data.js';

/** Tuples of numbers stored once each: `add` returns the index of an equal tuple, adding it when new. */
class TupleTable {
  readonly flat: number[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly width: number) {}

  add(tuple: readonly number[]): number {
    const key = tuple.join(',');
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.flat.length / this.width;
      this.flat.push(...tuple);
      this.index.set(key, i);
    }
    return i;
  }
}

/** The strings, decisions, hops, steps and explanations of one report, each stored once and named by its index. */
export class PageTables {
  readonly strings: string[] = [];
  /** Explanations one after another, each `hop count, step count, hops..., steps...`; an explanation is named by its offset. */
  readonly explanations: number[] = [];
  readonly decisions = new TupleTable(PAGE_LAYOUT.wireDecisionWidth);
  readonly hops = new TupleTable(PAGE_LAYOUT.hopWidth);
  readonly steps = new TupleTable(PAGE_LAYOUT.stepWidth);
  private readonly stringIndex = new Map<string, number>();
  private readonly explanationIndex = new Map<string, number>();

  /**
   * The index of `value` in the string table (-1 for null or undefined). Values are stored as text
   * output shows them (escape-text.ts): controls and bidirectional overrides written as escapes, so
   * a hostile name can neither hide nor reorder what the page shows.
   */
  string(raw: string | null | undefined): number {
    if (raw === null || raw === undefined) return -1;
    const value = escapeText(raw);
    let i = this.stringIndex.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.stringIndex.set(value, i);
    }
    return i;
  }

  /** The offset of an explanation equal to this one (the same hops and steps), adding it when it is new. */
  explanation(value: PageExplanation): number {
    const key = `${value.hops.join(',')}|${value.steps.join(',')}`;
    let i = this.explanationIndex.get(key);
    if (i === undefined) {
      i = this.explanations.length;
      this.explanations.push(value.hops.length, value.steps.length, ...value.hops, ...value.steps);
      this.explanationIndex.set(key, i);
    }
    return i;
  }
}
