import { DELTA_COLUMNS, PAGE_LAYOUT, type PageData, type PageView } from './page-data.js';

/** Each number minus the one `width` places before it (a row up, in the same column); the first row as it is. */
export function deltaEncode(values: readonly number[], width: number): number[] {
  return values.map((v, i) => (i < width ? v : v - (values[i - width] as number)));
}

/**
 * The 64 characters numbers are written with: a number's last digit (base 32) from the first 32, its
 * other digits from the last 32, so numbers need no separator. None needs escaping in JSON or HTML.
 */
export const DIGITS = PAGE_LAYOUT.digits;

/**
 * Numbers as one string: each zigzag-encoded (0, -1, 1, -2, ... as 0, 1, 2, 3, ...) and written in
 * base 32, most significant digit first, the last digit marked by its alphabet. A number below 16
 * takes one character, below 512 two, below 16,384 three.
 */
export function packNumbers(values: readonly number[]): string {
  let out = '';
  for (const v of values) {
    let z = v >= 0 ? 2 * v : -2 * v - 1;
    let digits = DIGITS[z % 32] as string;
    z = Math.floor(z / 32);
    while (z > 0) {
      digits = (DIGITS[32 + (z % 32)] as string) + digits;
      z = Math.floor(z / 32);
    }
    out += digits;
  }
  return out;
}

/** The data as the file carries it: the arrays of DELTA_COLUMNS delta-encoded and packed (page-decode.ts undoes both). */
export function deltaEncodeData(data: PageData): PageData {
  const out: Record<string, unknown> = { ...data };
  for (const [name, width] of Object.entries(DELTA_COLUMNS.data)) out[name] = packNumbers(deltaEncode(data[name as keyof typeof DELTA_COLUMNS.data], width));
  out['views'] = data.views.map((v) => {
    const view: Record<string, unknown> = { ...v };
    for (const [name, width] of Object.entries(DELTA_COLUMNS.view)) {
      const column = v[name as keyof typeof DELTA_COLUMNS.view];
      if (column) view[name] = packNumbers(deltaEncode(column, width));
    }
    return view as unknown as PageView;
  });
  return out as unknown as PageData;
}
