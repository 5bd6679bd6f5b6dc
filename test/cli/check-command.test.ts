import { describe, expect, it } from 'vitest';
import { checkExitCode } from '../../src/cli/check-command.js';
import { FAILING, PASSING, UNREADABLE } from '../report/check-fixtures.js';

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
