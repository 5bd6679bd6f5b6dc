import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNT, DEMO, linesOf, runToFile, scratchDir, TIMEOUT, TITLE, writeLines } from './large-input-files.js';

const dir = scratchDir();

describe(TITLE, () => {
  it('simulate streams a JSONL flows file of that many flows, one result line each and a summary that counts them all', async () => {
    const flows = join(dir, 'flows.jsonl');
    const sources = ['orders/checkout-service', 'fintech-core/refund-service', 'frontend/web'];
    await writeLines(flows, COUNT, (i) => JSON.stringify({ id: `f${i}`, source: { workload: sources[i % 3] }, destination: { service: 'fintech-core/payment-processor', port: 80 }, protocol: 'http', method: 'POST', path: `/api/v1/payments/${i % 97}/capture` }));
    const r = runToFile(dir, ['simulate', '-f', DEMO, '--flows', flows, '-o', 'jsonl'], 'flows.out');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const { lines, last } = linesOf(r.out);
    expect(lines).toBe(COUNT + 1);
    expect(JSON.parse(last).summary).toMatchObject({ flows: COUNT });
    rmSync(flows);
    rmSync(r.out);
  }, TIMEOUT);
});
