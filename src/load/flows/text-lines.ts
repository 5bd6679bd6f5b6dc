/** Lines longer than this are reported and skipped, so a file without newlines cannot fill the heap. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/**
 * Bytes decoded at once: text pieces this small stay in the young generation, where a piece and the
 * lines cut from it die as soon as they are read (a multi-megabyte string would be a large object,
 * freed only by a full collection).
 */
export const PIECE_BYTES = 64 * 1024;

/** What a line splitter hands on: a line and its 1-based number, or a line that was too long. */
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
  private skipping = false;

  constructor(private readonly sink: LineSink, private readonly maxLineChars = MAX_LINE_CHARS) {}

  /** Lines started so far (the number of the line being read). */
  get lines(): number {
    return this.number;
  }

  push(chunk: Uint8Array | string): void {
    for (const _ of this.pushInPieces(chunk));
  }

  /**
   * `push`, a piece of at most PIECE_BYTES at a time: pauses after each piece is split, so the caller
   * can hand on what its sink got. The length limit is checked where the chunk ends, as `push` does.
   */
  *pushInPieces(chunk: Uint8Array | string): Generator<void, void, undefined> {
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
    if (rest !== '') this.keep(rest);
    this.checkLength();
    if (this.carry !== '' || this.skipping) this.finishLine(this.carry);
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
    if (this.skipping || rest === '') return;
    this.carry = this.carry === '' ? rest : this.carry + rest;
  }

  /** An unfinished line already over the limit is dropped, and the rest of it skipped. */
  private checkLength(): void {
    if (this.carry.length > this.maxLineChars) {
      this.skipping = true;
      this.carry = '';
    }
  }

  private finishLine(raw: string): void {
    this.number++;
    if (this.skipping) {
      this.skipping = false;
      this.sink.tooLong(this.number);
      return;
    }
    this.sink.line(raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw, this.number);
  }
}
