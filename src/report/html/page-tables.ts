import { escapeText } from '../escape-text.js';
import type { PageExplanation } from './page-data.js';

/** The strings and explanations of one report, each stored once and named by its index. */
export class PageTables {
  readonly strings: string[] = [];
  readonly explanations: PageExplanation[] = [];
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

  /** The index of an explanation equal to this one, adding it when it is new. */
  explanation(value: PageExplanation): number {
    const key = `${value.hops.join(',')}|${value.steps.join(',')}`;
    let i = this.explanationIndex.get(key);
    if (i === undefined) {
      i = this.explanations.length;
      this.explanations.push(value);
      this.explanationIndex.set(key, i);
    }
    return i;
  }
}
