import { escapeText } from './escape-text.js';

const MARKUP = /[\\`|[\]<>&*_~]/;
const MARKUP_ALL = new RegExp(MARKUP.source, 'g');
const ENTITY: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * A value as markdown text (a table cell or a list item): controls shown as plain text shows them
 * (escape-text.ts), then what markdown or HTML would read as markup escaped: backslashes, backticks,
 * pipes (which end a table cell), brackets (links, images) and `*`, `_`, `~` (emphasis, strikethrough)
 * with a backslash (CommonMark lets any ASCII punctuation be escaped so), `<`, `>` and `&` as entities. Ordinary words and names pass unchanged.
 */
export function markdownText(value: string): string {
  const text = escapeText(value);
  return MARKUP.test(text) ? text.replace(MARKUP_ALL, (c) => ENTITY[c] ?? `\\${c}`) : text;
}

/**
 * A value as inline code in a table cell: controls shown as plain text shows them, backticks (which
 * would end the span) replaced by `ʼ`, pipes escaped for the table (GFM reads `\|` before the span).
 */
export function markdownCode(value: string): string {
  return `\`${escapeText(value).replace(/`/g, 'ʼ').replace(/\|/g, '\\|')}\``;
}
