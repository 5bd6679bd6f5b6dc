import { escapeText } from './escape-text.js';

/**
 * A value as a quoted DOT string (an ID, a label, a tooltip): controls shown as plain text shows them
 * (escape-text.ts, so no newline or bidi override gets through), then backslashes doubled and quotes
 * escaped, the only escapes a quoted DOT string has (https://graphviz.org/doc/info/lang.html). A
 * doubled backslash also keeps Graphviz's label escapes (`\N`, `\G`, `\l`) from reading the name.
 */
export function dotString(value: string): string {
  return `"${escapeText(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Lines of text as one quoted DOT label, each line centred (`\n` between them): every line escaped
 * as `dotString` escapes it, so a line break comes only from the list.
 */
export function dotLines(lines: readonly string[]): string {
  return `"${lines.map((l) => dotString(l).slice(1, -1)).join('\\n')}"`;
}
