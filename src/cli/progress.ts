import { escapeText } from '../index.js';

/**
 * A one-line progress bar on stderr while a capture is read, drawn only when stderr is a terminal and
 * redrawn at most ten times a second; `done` clears it.
 */
export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();
  private drawn = false;
  private readonly label: string;

  /** `label` names what is read (a file path); it is escaped (escape-text.ts) before it reaches the terminal. */
  constructor(label: string, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.label = escapeText(label);
  }

  static enabled(stream: NodeJS.WriteStream = process.stderr): boolean {
    return stream.isTTY === true && !process.env['CI'];
  }

  update(bytes: number, total: number): void {
    const now = Date.now();
    if (now - this.last < 100 && bytes < total) return;
    this.last = now;
    const width = 30;
    const fraction = total > 0 ? Math.min(1, bytes / total) : 0;
    const filled = Math.round(fraction * width);
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const rate = bytes / seconds / 1e6;
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${(bytes / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB  ${rate.toFixed(0)} MB/s`;
    this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 100) - 1)}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
  }
}
