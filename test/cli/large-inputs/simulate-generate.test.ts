import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COUNT, DEMO, linesOf, runToFile, scratchDir, TIMEOUT, TITLE } from './large-input-files.js';

const dir = scratchDir();

describe(TITLE, () => {
  it('simulate --generate makes that many flows and reports each', () => {
    const r = runToFile(dir, ['simulate', '-f', DEMO, '--generate', String(COUNT), '--seed', '5', '-o', 'jsonl'], 'generated.out');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const { lines, last } = linesOf(r.out);
    expect(lines).toBe(COUNT + 1);
    expect(JSON.parse(last).summary).toMatchObject({ flows: COUNT });
    rmSync(r.out);
  }, TIMEOUT);
});
