import { escapeText } from './escape-text.js';

/** Characters a mermaid label shows as they are (beyond ASCII: what escape-text.ts lets through); anything else is written as an entity code. */
const SAFE = /^[A-Za-z0-9 ./:,()+=@\-\u{a0}-\u{10ffff}]*$/u;
const UNSAFE_ALL = /[^A-Za-z0-9 ./:,()+=@\-\u{a0}-\u{10ffff}]/gu;

/**
 * A value as the text of a quoted mermaid label (`n0["..."]`, `-->|"..."|`): controls shown as plain
 * text shows them (escape-text.ts), then every ASCII character but letters, digits, spaces and
 * `./:,()+=@-` written as mermaid's entity code `#<decimal>;` (https://mermaid.js.org/syntax/flowchart.html,
 * "Entity codes to escape characters"). So no quote, bracket, pipe, backtick, `<`, `%%` or `;` of a
 * name can end the label, open markdown or HTML, or start a comment or a statement.
 */
export function mermaidText(value: string): string {
  const text = escapeText(value);
  return SAFE.test(text) ? text : text.replace(UNSAFE_ALL, (c) => `#${c.codePointAt(0) as number};`);
}
