/** A line longer than this is reported and ends the reading, so a file without newlines can neither fill the heap nor be read forever. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/**
 * Bytes decoded at once: text pieces this small stay in the young generation, where a piece and the
 * lines cut from it die as soon as they are read (a multi-megabyte string would be a large object,
 * freed only by a full collection).
 */
export const PIECE_BYTES = 64 * 1024;

/** What a line splitter hands on: a line and its 1-based number, or a line too long to be one (the last: splitting stops there). */
export interface LineSink {
  line(text: string, number: number): void;
  tooLong(number: number): void;
}

/**
 * Splits UTF-8 chunks into lines as they arrive (`\n` or `\r\n`), keeping only the unfinished line
 * between chunks. `push` a chunk (it may be reused by the caller afterwards), then `end()`.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private carry = '';
  private number = 0;
  private over = false;

  constructor(private readonly sink: LineSink, private readonly maxLineChars = MAX_LINE_CHARS) {}

  /** Lines started so far (the number of the line being read). */
  get lines(): number {
    return this.number;
  }

  /**
   * True once a line went past the length limit: splitting stopped there, and the caller stops reading.
   * A line that long is no JSONL, and one that never ends (a link to /dev/zero) would be read forever.
   */
  get stopped(): boolean {
    return this.over;
  }

  push(chunk: Uint8Array | string): void {
    for (const _ of this.pushInPieces(chunk));
  }

  /**
   * `push`, a piece of at most PIECE_BYTES at a time: pauses after each piece is split, so the caller
   * can hand on what its sink got. The length limit is checked where the chunk ends, as `push` does.
   */
  *pushInPieces(chunk: Uint8Array | string): Generator<void, void, undefined> {
    if (this.over) return;
    if (typeof chunk === 'string') this.split(chunk);
    else {
      for (let start = 0; start < chunk.length; start += PIECE_BYTES) {
        this.split(this.decoder.decode(chunk.subarray(start, start + PIECE_BYTES), { stream: true }));
        if (start + PIECE_BYTES < chunk.length) yield;
      }
    }
    this.checkLength();
    yield;
  }

  end(): void {
    const rest = this.decoder.decode();
    if (this.over) return;
    if (rest !== '') this.keep(rest);
    this.checkLength();
    if (this.carry !== '') this.finishLine(this.carry);
    this.carry = '';
  }

  private split(text: string): void {
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      const piece = text.slice(start, nl);
      this.finishLine(this.carry === '' ? piece : this.carry + piece);
      this.carry = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.keep(text.slice(start));
  }

  private keep(rest: string): void {
    if (rest === '') return;
    this.carry = this.carry === '' ? rest : this.carry + rest;
  }

  /** An unfinished line already over the limit is reported, and nothing after it is split. */
  private checkLength(): void {
    if (this.over || this.carry.length <= this.maxLineChars) return;
    this.over = true;
    this.carry = '';
    this.sink.tooLong(++this.number);
  }

  private finishLine(raw: string): void {
    this.number++;
    this.sink.line(raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw, this.number);
  }
}
