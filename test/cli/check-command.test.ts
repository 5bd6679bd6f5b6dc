import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExitCode } from '../../src/cli/check-command.js';
import { FAILING, PASSING, UNREADABLE } from '../report/check-fixtures.js';
import { ROOT, runCli } from './run-cli.js';

describe('check exits as DESIGN.md says', () => {
  it.each([
    ['0 when every expectation holds', [PASSING], [], 0],
    ['1 when an expectation fails', [PASSING, FAILING], [], 1],
    ['2 when a scenario cannot be read', [FAILING, UNREADABLE], [], 2],
    ['2 when a path does not exist', [PASSING], [{ severity: 'error' as const, code: 'unreadable-input', message: 'x: no such file or directory' }], 2],
  ])('%s', (_name, checks, diagnostics, code) => {
    expect(checkExitCode(checks, diagnostics)).toBe(code);
  });
});

describe('check on an invariant naming a namespace the manifests lack', () => {
  it('exits 1 with the expectation\'s file:line and the unknown name, in text and JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ab-check-')), 'scenario.yaml');
    writeFileSync(file, `name: typo\nmanifests: [${join(ROOT, 'scenarios/demo/cluster')}]\ntraffic:\n  generate: { count: 50, seed: 1 }\nexpect:\n  - noPlaintextInto: fintech-cor\n`);
    const text = runCli(['check', '--root', ROOT, file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`(${file}:6)`);
    expect(text.stdout).toContain('namespace "fintech-cor" has no workload or Service');
    const json = JSON.parse(runCli(['check', '--root', ROOT, file, '-o', 'json']).stdout);
    expect(json.scenarios[0].expectations[0]).toMatchObject({ passed: false, line: 6, failure: { kind: 'unknown-reference', refs: [{ field: 'namespace', ref: 'fintech-cor' }] } });
  });
});
