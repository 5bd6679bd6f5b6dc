import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { cliCommand, ROOT } from '../run-cli.js';

/**
 * Inputs of two million items of every kind. Above about 123,600 items a spread of a list into a call
 * overflows the stack; these runs check that nothing does, and that the counts come out right. One
 * file per command, so the runs can go on different test workers.
 */
export const COUNT = Number(process.env['LARGE_INPUT_COUNT'] ?? 2_000_000);
export const TIMEOUT = 600_000;
export const DEMO = join(ROOT, 'scenarios/demo/cluster');
export const TITLE = `${COUNT.toLocaleString('en')}-item inputs finish without an internal error and with the right counts`;

/** A temporary folder for one test file, removed after it. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ambient-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs the CLI with stdout into `dir/name` (the output is too big for a pipe buffer held in memory). */
export function runToFile(dir: string, args: readonly string[], name: string): { code: number; stderr: string; out: string } {
  const out = join(dir, name);
  const fd = openSync(out, 'w');
  try {
    const cli = cliCommand(args);
    const r = spawnSync(cli.command, cli.args, {
      cwd: ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: TIMEOUT, maxBuffer: 64 * 1024 * 1024,
    });
    return { code: r.status ?? -1, stderr: r.stderr, out };
  } finally {
    closeSync(fd);
  }
}

/** Newlines in a file, counted in chunks, and its last line. */
export function linesOf(file: string): { lines: number; last: string } {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  let lines = 0;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const chunk = buffer.subarray(0, n);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
    const size = statSync(file).size;
    const tail = Buffer.alloc(Math.min(size, 1024 * 1024));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const text = tail.toString('utf8').trimEnd();
    return { lines, last: text.slice(text.lastIndexOf('\n') + 1) };
  } finally {
    closeSync(fd);
  }
}

export async function writeLines(file: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i += 10_000) {
    const block: string[] = [];
    for (let k = i; k < Math.min(count, i + 10_000); k++) block.push(line(k));
    if (!out.write(`${block.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
