/**
 * The text without a leading byte order mark, which YAML 1.2 §5.2 allows and RFC 8259 §8.1 lets a JSON
 * reader ignore, and which is no content: left in, it moved every column of line 1 one to the right.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
