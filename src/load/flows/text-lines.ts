/** Lines longer than this are reported and skipped, so a file without newlines cannot fill the heap. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

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
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
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

  end(): void {
    const rest = this.decoder.decode();
    if (rest !== '') this.keep(rest);
    if (this.carry !== '' || this.skipping) this.finishLine(this.carry);
    this.carry = '';
  }

  private keep(rest: string): void {
    if (this.skipping || rest === '') return;
    this.carry = this.carry === '' ? rest : this.carry + rest;
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
    this.sink.line(raw.endsWith('\r') ? raw.slice(0, -1) : raw, this.number);
  }
}
