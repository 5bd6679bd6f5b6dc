/** Byte classes and text of latin1 bytes (each byte is the code point of its character). */

const latin1 = new TextDecoder('latin1');
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TOKEN[c] = 1;
for (let c = 65; c <= 90; c++) TOKEN[c] = TOKEN[c + 32] = 1;

/**
 * Texts up to this long are interned: looked up by a hash of their bytes in a table of
 * {@link INTERNED_TEXTS} slots (a hit is checked byte by byte, a miss replaces the slot), so the
 * methods, paths, hosts and header values that repeat across requests cost no allocation. The
 * tables are bounded: at most 4,096 + 512 strings of at most 64 characters stay referenced.
 */
const INTERN_MAX_LENGTH = 64;
const INTERNED_TEXTS = 4096;
const INTERNED_NAMES = 512;
const texts: Array<string | undefined> = new Array<string | undefined>(INTERNED_TEXTS).fill(undefined);
const names: Array<string | undefined> = new Array<string | undefined>(INTERNED_NAMES).fill(undefined);

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
  if (e - s > INTERN_MAX_LENGTH) return latin1.decode(b.subarray(s, e));
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ (b[i] as number), 16777619);
  const slot = (h ^ (h >>> 15)) & (INTERNED_TEXTS - 1);
  const known = texts[slot];
  if (known !== undefined && spells(known, b, s, e, false)) return known;
  const text = e === s ? '' : latin1.decode(b.subarray(s, e));
  texts[slot] = text;
  return text;
}

/** `b[s..e)` as a lower-case string (what `toLowerCase` makes of it). */
export function lowerLatin1Text(b: Uint8Array, s: number, e: number): string {
  if (e - s > INTERN_MAX_LENGTH) return latin1.decode(b.subarray(s, e)).toLowerCase();
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ lowerAscii(b[i] as number), 16777619);
  const slot = (h ^ (h >>> 15)) & (INTERNED_NAMES - 1);
  const known = names[slot];
  if (known !== undefined && spells(known, b, s, e, true)) return known;
  const text = e === s ? '' : latin1.decode(b.subarray(s, e)).toLowerCase();
  names[slot] = text;
  return text;
}

function spells(text: string, b: Uint8Array, s: number, e: number, lower: boolean): boolean {
  if (text.length !== e - s) return false;
  for (let i = s; i < e; i++) if (text.charCodeAt(i - s) !== (lower ? lowerAscii(b[i] as number) : b[i])) return false;
  return true;
}

/** Text with every character outside printable ASCII shown as a dot. */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.');
}
