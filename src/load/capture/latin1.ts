/** Byte classes and text of latin1 bytes (each byte is the code point of its character). */

const latin1 = new TextDecoder('latin1');
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TOKEN[c] = 1;
for (let c = 65; c <= 90; c++) TOKEN[c] = TOKEN[c + 32] = 1;

/** Shorter texts are built a character at a time, which is cheaper than a decoder call. */
const SHORT_TEXT = 24;

/** True for the characters of an RFC 9110 token (`tchar`). */
export function isToken(c: number): boolean {
  return TOKEN[c] === 1;
}

/** True for what JavaScript's `\s` and `trim` treat as whitespace among latin1 characters. */
export function isWhitespace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160;
}

/** An ASCII upper-case letter lowered; any other byte as it is. */
export function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** `b[s..e)` as a string. */
export function latin1Text(b: Uint8Array, s: number, e: number): string {
  if (e - s > SHORT_TEXT) return latin1.decode(b.subarray(s, e));
  let text = '';
  for (let i = s; i < e; i++) text += String.fromCharCode(b[i] as number);
  return text;
}

/** Text with every character outside printable ASCII shown as a dot. */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.');
}
