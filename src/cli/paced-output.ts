import { once } from 'node:events';

const FLUSH_CHARS = 256 * 1024;

/**
 * Writes text to a stream in large pieces and waits while the stream drains, so a producer that awaits
 * `written()` between batches never runs ahead of a slow reader (a pipe, a terminal).
 */
export class PacedOutput {
  private pending: string[] = [];
  private size = 0;

  constructor(private readonly out: NodeJS.WritableStream & { writableNeedDrain?: boolean } = process.stdout) {}

  write(text: string): void {
    if (text === '') return;
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_CHARS) this.flush();
  }

  /** Writes bytes as they are, after the text written before them. */
  writeBytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.flush();
    this.out.write(bytes);
  }

  /** Resolves once the stream has room again. */
  async written(): Promise<void> {
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
  }

  flush(): void {
    if (this.pending.length > 0) this.out.write(this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}
