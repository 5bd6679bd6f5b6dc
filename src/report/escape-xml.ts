import { hexEscape } from './escape-text.js';

/**
 * Characters XML 1.0 cannot carry at all (https://www.w3.org/TR/xml/#charsets): C0 controls other
 * than tab, newline and carriage return, U+FFFE, U+FFFF, and halves of a surrogate pair alone.
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MARKUP: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const IN_ATTRIBUTE: Readonly<Record<string, string>> = { '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/** Text as XML character data: what XML forbids shown visibly (`\x1b`, `\ufffe`), markup as entities. */
export function xmlText(value: string): string {
  return value.replace(FORBIDDEN, hexEscape).replace(/[&<>]/g, (c) => MARKUP[c] as string);
}

/** Text as a double-quoted XML attribute value: as {@link xmlText}, and quotes and whitespace controls as references. */
export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/["\n\r\t]/g, (c) => IN_ATTRIBUTE[c] as string);
}
