/**
 * What a message may quote of a file that did not parse as the format expected of it: a short
 * excerpt, never the content (a key file or a password file named as manifests must not reach a CI
 * log through a diagnostic). Control characters in what is left are shown escaped by every renderer
 * (src/report/escape-text.ts); JSON output carries them JSON-escaped.
 */

/** At most this many characters of a file's content are quoted in one place of a message. */
export const EXCERPT_CHARS = 40;
/** A parser's message is cut to this length, whatever it quotes. */
const MESSAGE_CHARS = 120;
const LONG_WORD = new RegExp(`\\S{${EXCERPT_CHARS + 1},}`, 'g');

/** `text` cut to `max` characters, an ellipsis marking the cut (a surrogate pair is not split). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** A value from the input quoted for a message, as JSON quotes it: at most EXCERPT_CHARS of it. */
export function excerpt(value: string): string {
  return JSON.stringify(cut(value, EXCERPT_CHARS));
}

/**
 * A parser's error message (the yaml library's, JSON.parse's) made fit to repeat: its first line only
 * (the yaml library adds a code frame of the source below it), each word of it at most EXCERPT_CHARS
 * (the parsers quote the offending token or alias name), and the whole at most MESSAGE_CHARS.
 */
export function parserMessage(message: string): string {
  const first = message.split(/\r?\n/, 1)[0] ?? '';
  return cut(first.replace(LONG_WORD, (word) => cut(word, EXCERPT_CHARS)), MESSAGE_CHARS);
}
