import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const DEMO = ['-f', 'scenarios/demo/cluster'];
const dir = mkdtempSync(join(tmpdir(), 'simulate-flows-'));
const good = JSON.stringify({ id: 'ok', source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 80 } });
const bad = JSON.stringify({ id: 'bad', source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 0 } });

describe('simulate --flows: exit codes tell the truth', () => {
  it('exits 2 when an entry was dropped as invalid, naming it with file:line, and does not decide --fail-on on the rest', () => {
    const file = join(dir, 'one-bad.jsonl');
    writeFileSync(file, `${good}\n${bad}\n`);
    const r = runCli(['simulate', ...DEMO, '--flows', file, '-o', 'jsonl', '--fail-on', 'deny']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2: flow 2: destination.port must be an integer from 1 to 65535`);
    expect(r.stderr).toMatch(/1 of 2 flows file entries were dropped as invalid/);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].id).toBe('ok');
    expect(lines[1].summary.flows).toBe(1);
  });

  it('exits 2 when the flows file yields no flow at all', () => {
    const file = join(dir, 'none.yaml');
    writeFileSync(file, '[]\n');
    const r = runCli(['simulate', ...DEMO, '--flows', file, '-o', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'no-flows', file })]));
  });

  it('exits 2 on a JSON flows file over its limit, pointing to JSONL', () => {
    const file = join(dir, 'big.json');
    const entry = JSON.parse(good);
    writeFileSync(file, JSON.stringify(Array.from({ length: 180_000 }, () => entry)));
    const r = runCli(['simulate', ...DEMO, '--flows', file, '-o', 'jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.json: a JSON flows file is read whole and is limited to 16 MiB; write one flow per line as JSONL/);
  });
});

describe('simulate --flows - reads standard input', () => {
  it('streams JSONL from standard input, in the order it is read', () => {
    const r = runCli(['simulate', ...DEMO, '--flows', '-', '-o', 'jsonl'], `${good}\n${good.replace('"ok"', '"second"')}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).id ?? 'summary')).toEqual(['ok', 'second', 'summary']);
  });

  it('reads a YAML flows file from standard input with the same results as from the file', () => {
    const fromFile = runCli(['simulate', ...DEMO, '--flows', 'scenarios/demo/flows.yaml', '-o', 'json']);
    const fromStdin = runCli(['simulate', ...DEMO, '--flows', '-', '-o', 'json'], readFileSync(join(ROOT, 'scenarios/demo/flows.yaml'), 'utf8'));
    expect(fromStdin.code).toBe(0);
    const strip = (text: string) => JSON.parse(text.replaceAll('scenarios/demo/flows.yaml', '(stdin)'));
    expect(strip(fromStdin.stdout)).toEqual(strip(fromFile.stdout));
  });
});
