import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNT, linesOf, runToFile, scratchDir, TIMEOUT, TITLE, writeLines } from './large-input-files.js';

const dir = scratchDir();

describe(TITLE, () => {
  it('validate lists that many diagnostics of one manifest file', async () => {
    // A List whose items are numbers: each item is a not-an-object warning with its line.
    // (JSON: the YAML reader takes 16 MB per file.)
    const manifests = join(dir, 'not-objects.json');
    await writeLines(manifests, COUNT + 2, (i) => (i === 0 ? '{"apiVersion":"v1","kind":"List","items":[' : i === COUNT + 1 ? ']}' : `${i}${i === COUNT ? '' : ','}`));
    const r = runToFile(dir, ['validate', '-f', manifests], 'validate.out');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const { lines, last } = linesOf(r.out);
    expect(last).toBe(`0 errors, ${COUNT} warnings, 0 notes`);
    expect(lines).toBeGreaterThan(COUNT);
    rmSync(manifests);
  }, TIMEOUT);
});
