import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { LINT_CODES } from '../../src/model/diagnostic.js';
import { LINT_RULES } from '../../src/report/lint-rules.js';
import { artifactUri, renderValidationSarif } from '../../src/report/validate-sarif.js';

describe('renderValidationSarif()', () => {
  const diagnostics: Diagnostic[] = [
    { severity: 'info', code: 'waypoint-bypassable', file: 'policies/p.yaml', line: 4, column: 7, message: 'AuthorizationPolicy pay/p (policies/p.yaml:4:7): only the waypoint enforces this' },
    { severity: 'error', code: 'yaml-syntax', file: 'bad.yaml', message: 'bad.yaml: YAML syntax error' },
  ];
  const run = JSON.parse(renderValidationSarif(diagnostics, { version: '1.2.3' })).runs[0];

  it('gives each rule the lint table\'s English and default level', () => {
    expect(run.tool.driver.rules.find((r: { id: string }) => r.id === 'waypoint-bypassable')).toMatchObject({
      shortDescription: { text: LINT_RULES['waypoint-bypassable'].summary }, defaultConfiguration: { level: 'note' },
      help: { text: expect.stringContaining(LINT_RULES['waypoint-bypassable'].fix) },
    });
  });

  it('maps severities to SARIF levels and points results at line 1, column 1 when the position is unknown', () => {
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(['note', 'error']);
    expect(run.results[1].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1 });
    expect(run.results[0].ruleIndex).toBe(run.tool.driver.rules.findIndex((r: { id: string }) => r.id === 'waypoint-bypassable'));
  });

  it.each([['./a b.yaml', 'a%20b.yaml'], ['dir\\x.yaml', 'dir/x.yaml'], ['../other/c#1.yaml', '../other/c%231.yaml']])('writes %s as the URI %s', (file, uri) => {
    expect(artifactUri(file)).toBe(uri);
  });

  it('has an explanation and a fix for every lint code', () => {
    for (const code of LINT_CODES) expect(LINT_RULES[code].fix.length).toBeGreaterThan(10);
  });
});
