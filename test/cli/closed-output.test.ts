import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliCommand, ROOT } from './run-cli.js';

/** Runs the CLI with its standard output read until `bytes` have arrived, then closed, as `| head -c` does. */
function runAndClose(args: readonly string[], bytes: number): Promise<{ code: number | null; signal: string | null; stderr: string; read: number }> {
  return new Promise((done, fail) => {
    const cli = cliCommand(args);
    const child = spawn(cli.command, cli.args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let read = 0;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.on('data', (b: Buffer) => {
      read += b.length;
      if (read >= bytes) child.stdout.destroy();
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stderr, read }));
  });
}

describe('standard output closed by its reader (`| head`)', () => {
  // Enough output that the pipe fills and writes are still pending when the reader goes.
  const args = ['simulate', '-f', 'scenarios/demo/cluster', '--generate', '20000', '--seed', '1', '-o', 'jsonl'];

  it('stops silently with the SIGPIPE status (128 + 13), no internal error, no stack trace', async () => {
    const r = await runAndClose(args, 1);
    expect(r.read).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
    expect(r.code).toBe(141);
  }, 60_000);
});
