import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFlows } from '../src/load/flows/parse-flows.js';
import { runCli } from './cli/run-cli.js';
import { codeBlocks } from './support/markdown.js';

/**
 * The README's examples, read from README.md itself so that they cannot drift: each TypeScript block
 * runs (against the sources, through the package aliases of vitest.config.ts) in a directory holding
 * the demo cluster as `cluster.yaml` and `k8s/` and its flows as `flows.yaml`; each `npx ambient-bench`
 * command of a shell block runs and exits 0; the flows-file example parses.
 */
const ROOT = resolve(__dirname, '..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const DEMO = resolve(ROOT, 'scenarios/demo');

/**
 * The `npx ambient-bench` commands of a shell block, with backslash continuations joined, as argument
 * lists; a redirection of standard output to a file (`> report.html`) is left out, as the output is read.
 */
function npxCommands(block: string): string[][] {
  return block.replace(/\\\n\s*/g, ' ').split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').replace(/\s+>\s*[\w./-]+$/, '').trim())
    .filter((l) => l.startsWith('npx ambient-bench '))
    .map((l) => l.slice('npx ambient-bench '.length).split(/\s+/));
}

const tsBlocks = codeBlocks(README, 'ts');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ambient-bench-readme-'));
  cpSync(join(DEMO, 'cluster'), join(dir, 'k8s'), { recursive: true });
  const files = readdirSync(join(DEMO, 'cluster')).sort();
  writeFileSync(join(dir, 'cluster.yaml'), files.map((f) => readFileSync(join(DEMO, 'cluster', f), 'utf8')).join('\n---\n'));
  cpSync(join(DEMO, 'flows.yaml'), join(dir, 'flows.yaml'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the README examples run as written', () => {
  it('has the library and testing examples', () => {
    expect(tsBlocks.length).toBe(2);
  });

  it.each(tsBlocks.map((b, i) => [i + 1, b] as const))('TypeScript example %i runs without throwing', async (i, block) => {
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(file, `${block}\nexport {};\n`);
    const cwd = process.cwd();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      process.chdir(dir);
      await import(file);
      expect(log).toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    } finally {
      process.chdir(cwd);
      log.mockRestore();
      error.mockRestore();
    }
  }, 60_000);

  const commands = codeBlocks(README, 'sh').flatMap(npxCommands);
  it.each(commands.map((c) => [c.join(' '), c] as const))('ambient-bench %s exits 0', (_line, args) => {
    const r = runCli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);

  it('parses the flows-file example as a flows file', () => {
    const example = codeBlocks(README, 'yaml').find((b) => b.startsWith('- id: checkout-pays'));
    const parsed = parseFlows(example ?? '', 'flows.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.flows.map((f) => f.id)).toEqual(['checkout-pays']);
  });
});
