/**
 * Appends lines one by one, each with an optional indent: spreading a long list into `push` overflows
 * the call stack above about 120,000 items.
 */
export function appendLines(out: string[], lines: readonly string[], indent = ''): string[] {
  for (const line of lines) out.push(indent === '' ? line : `${indent}${line}`);
  return out;
}

/** The longest length of `values`, 0 for none (a loop: `Math.max(...values)` overflows on long lists). */
export function maxLength(values: readonly string[]): number {
  let max = 0;
  for (const v of values) if (v.length > max) max = v.length;
  return max;
}
