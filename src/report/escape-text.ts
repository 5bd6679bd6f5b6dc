/**
 * Characters a terminal or a log viewer acts on instead of showing: C0 controls (newline and tab
 * included, since inside a value they would forge a line or a column), DEL, C1 controls, the Unicode
 * line and paragraph separators, and the bidirectional overrides and isolates (U+202A-202E,
 * U+2066-2069) that reorder what follows them; and the backslash, so an escape cannot be forged.
 */
const UNSAFE = /[\u0000-\u001f\u005c\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/**
 * A value from the input as plain text shows it: every character a terminal would act on written as
 * its escape (`\x1b` for ESC, `\x0a` for a newline, `\u202e`), the backslash as `\\`; any other text
 * unchanged.
 */
export function escapeText(value: string): string {
  return UNSAFE.test(value) ? value.replace(UNSAFE_ALL, escapeChar) : value;
}

function escapeChar(c: string): string {
  return c === '\\' ? '\\\\' : hexEscape(c);
}

/** `\xNN` for a character up to U+00FF, `\uNNNN` above (one UTF-16 unit), as JavaScript and shells read them. */
export function hexEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
