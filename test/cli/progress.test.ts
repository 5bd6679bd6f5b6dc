import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/progress.js';

function fakeTerminal(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, columns: 80, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('the capture progress bar', () => {
  it('is drawn only on a terminal', () => {
    const saved = process.env['CI'];
    delete process.env['CI'];
    try {
      expect(ProgressBar.enabled(fakeTerminal(true).stream)).toBe(true);
      expect(ProgressBar.enabled(fakeTerminal(false).stream)).toBe(false);
    } finally {
      if (saved !== undefined) process.env['CI'] = saved;
    }
  });

  it('redraws one line with the share read, fits the terminal width, and clears it when done', () => {
    const { stream, written } = fakeTerminal(true);
    const bar = new ProgressBar('reading big.pcap', stream);
    bar.update(50e6, 200e6);
    bar.update(51e6, 200e6);
    bar.update(200e6, 200e6);
    bar.done();
    expect(written[0]).toMatch(/^\rreading big\.pcap \[#{8}\.{22}\]  25%  50\.0\/200\.0 MB/);
    expect(written).toHaveLength(3);
    expect(written[1]).toMatch(/100%/);
    expect(written.slice(0, 2).every((w) => w.replace(/\x1b\[K$/, '').length <= 80)).toBe(true);
    expect(written[2]).toBe('\r\x1b[K');
  });
});
