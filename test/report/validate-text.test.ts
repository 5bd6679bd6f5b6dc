import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { makeStyle } from '../../src/report/style.js';
import { renderValidationText } from '../../src/report/validate-text.js';

const d = (file: string | undefined, line: number, column: number, severity: Diagnostic['severity'], code: string, message: string): Diagnostic =>
  ({ severity, code, ...(file ? { file, line, column, object: 'AuthorizationPolicy pay/p' } : {}), message: file ? `AuthorizationPolicy pay/p (${file}:${line}:${column}): ${message}` : message });

describe('renderValidationText()', () => {
  it('groups by file like eslint\'s stylish: file:line:col  severity  code  message, aligned, sorted by position, then counts', () => {
    const text = renderValidationText([
      d('b.yaml', 9, 3, 'warning', 'comparison-value', '">5" is a literal'),
      d('a.yaml', 12, 11, 'error', 'unknown-condition-key', 'unknown attribute "x"'),
      d('a.yaml', 3, 1, 'info', 'waypoint-bypassable', 'only the waypoint enforces this'),
      d(undefined, 0, 0, 'info', 'skipped-kinds', 'skipped 1 object'),
    ], makeStyle(false));
    expect(text).toBe([
      'a.yaml',
      '  a.yaml:3:1    note   waypoint-bypassable    AuthorizationPolicy pay/p: only the waypoint enforces this',
      '  a.yaml:12:11  error  unknown-condition-key  AuthorizationPolicy pay/p: unknown attribute "x"',
      '',
      'b.yaml',
      '  b.yaml:9:3  warning  comparison-value  AuthorizationPolicy pay/p: ">5" is a literal',
      '',
      '(no file)',
      '  -  note  skipped-kinds  skipped 1 object',
      '',
      '1 error, 1 warning, 2 notes',
      '',
    ].join('\n'));
  });

  it('says so when there is nothing to report', () => {
    expect(renderValidationText([], makeStyle(false))).toBe('0 errors, 0 warnings, 0 notes\n');
  });
});
