import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const B14 = 'test/fixtures/articles/b14-security-baseline-deny.yaml';
const A01 = 'test/fixtures/articles/a01-payment-service-policy-reindented.yaml';

/** The OASIS SARIF 2.1.0 schema (draft-04) under Ajv's draft-07 validator: `id` becomes `$id`, formats are checked loosely. */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(resolve(ROOT, 'test/fixtures/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:/i);
  ajv.addFormat('uri-reference', true);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  return ajv.compile({ ...rest, $id: id as string });
}

describe('ambient-bench validate', () => {
  it('reports what istiod rejects as file:line:col  severity  code  message, grouped by file, and exits 1', () => {
    const r = runCli(['validate', '-f', B14]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(B14);
    expect(r.stdout).toMatch(new RegExp(`  ${B14.replaceAll('.', '\\.')}:36:11  error  unknown-condition-key  AuthorizationPolicy production/security-baseline-deny: unknown attribute "request.url_path"`));
    expect(r.stdout).toContain('2 errors, 0 warnings');
  });

  it('exits 0 on the demo cluster, which istiod accepts, and 1 with --failure-threshold warning', () => {
    expect(runCli(['validate', '-f', 'scenarios/demo/cluster']).code).toBe(0);
    expect(runCli(['validate', '-f', 'scenarios/demo/cluster', '--failure-threshold', 'warning']).code).toBe(1);
  });

  it('lints are warnings: exit 0 by default and 1 under --failure-threshold warning', () => {
    const r = runCli(['validate', '-f', A01]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning  split-from-to-rules');
    expect(runCli(['validate', '-f', A01, '--failure-threshold', 'warning']).code).toBe(1);
  });

  it('prints JSON diagnostics, lint codes included, and a summary', () => {
    const out = JSON.parse(runCli(['validate', '-f', B14, A01, '-o', 'json']).stdout);
    expect(out.summary).toMatchObject({ errors: 2, warnings: 2, objects: { AuthorizationPolicy: 2 } });
    expect(out.diagnostics.map((d: { code: string }) => d.code).sort()).toEqual(['invalid-cidr', 'split-from-to-rules', 'unknown-condition-key', 'ztunnel-allow-http-rule']);
  });

  it('writes SARIF 2.1.0 that the OASIS schema accepts, with a rule for every code and relative locations', () => {
    const r = runCli(['validate', '-f', B14, A01, 'test/fixtures/articles/b05-production-migration.yaml', '-o', 'sarif']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    const run = sarif.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'ambient-bench', version: JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).version });
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(['invalid-cidr', 'split-from-to-rules', 'unknown-condition-key', 'ztunnel-allow-http-rule']);
    expect(run.tool.driver.rules[1]).toMatchObject({ shortDescription: { text: expect.any(String) }, fullDescription: { text: expect.any(String) }, help: { text: expect.stringContaining('Fix:') }, defaultConfiguration: { level: 'warning' } });
    expect(run.results).toContainEqual(expect.objectContaining({
      ruleId: 'unknown-condition-key', level: 'error', message: { text: expect.stringContaining('request.url_path') },
      locations: [{ physicalLocation: { artifactLocation: { uri: B14, uriBaseId: '%SRCROOT%' }, region: { startLine: 36, startColumn: 11 } } }],
    }));
    expect(run.invocations[0].toolExecutionNotifications).toContainEqual(expect.objectContaining({ descriptor: { id: 'skipped-kinds' } }));
  });

  it('the SARIF schema check can fail: a result without message is refused', () => {
    const sarif = JSON.parse(runCli(['validate', '-f', B14, '-o', 'sarif']).stdout);
    delete sarif.runs[0].results[0].message;
    expect(sarifValidator()(sarif)).toBe(false);
  });

  it('writes SARIF locations relative to the working directory for absolute paths, percent-encoded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ab validate-'));
    writeFileSync(join(dir, 'my policy.yaml'), readFileSync(resolve(ROOT, B14)));
    const sarif = JSON.parse(runCli(['validate', '-f', join(dir, 'my policy.yaml'), '-o', 'sarif']).stdout);
    const uri: string = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri.startsWith('/')).toBe(false);
    expect(uri).toMatch(/my%20policy\.yaml$/);
  });

  it('exits 2 on a missing file and on an unknown format', () => {
    expect(runCli(['validate', '-f', 'nope.yaml']).code).toBe(2);
    expect(runCli(['validate', '-f', B14, '-o', 'xml']).code).toBe(2);
  });

  it('lists every lint code in --help', () => {
    const help = runCli(['validate', '--help']).stdout;
    for (const code of ['split-from-to-rules', 'ztunnel-allow-http-rule', 'waypoint-identity-at-ztunnel', 'identity-rules-exclude-plaintext']) expect(help).toContain(code);
  });
});

describe('one voice for diagnostics', () => {
  it('simulate reports each finding on the demo cluster with the code, severity and place validate gives it', () => {
    const simulated = JSON.parse(runCli(['simulate', '-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml', '-o', 'json']).stdout).diagnostics;
    const validated = JSON.parse(runCli(['validate', '-f', 'scenarios/demo/cluster', '-o', 'json']).stdout).diagnostics;
    expect(simulated.map((d: { code: string }) => d.code)).toContain('ztunnel-allow-http-rule');
    for (const d of simulated) expect(validated).toContainEqual(d);
  });
});

describe('text diagnostics print their location once', () => {
  const once = (line: string, file: string) => line.split(file).length - 1;

  it('in simulate, as file:line:column before the severity', () => {
    const out = runCli(['simulate', '-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml']).stdout;
    const lines = out.split('\n').filter((l) => l.includes('60-policies.yaml'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(once(l, '60-policies.yaml')).toBe(1);
    expect(out).toContain('  scenarios/demo/cluster/60-policies.yaml:147:7: warning ztunnel-allow-http-rule: AuthorizationPolicy frontend/admin-console-read-only: rule 0 uses');
  });

  it('in validate, for manifests read from standard input too, without a column it does not know', () => {
    const text = readFileSync(resolve(ROOT, 'test/fixtures/articles/b14-security-baseline-deny.yaml'), 'utf8');
    const lines = runCli(['validate', '-f', '-'], text).stdout.split('\n').filter((l) => l.startsWith('  (stdin)'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(once(l, '(stdin)')).toBe(1);
    expect(lines.join('\n')).not.toMatch(/:0\b/);
  });
});

describe('a document missing kind:', () => {
  it.each([
    ['the second YAML document, at its first field', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n\n  apiVersion: v1\n  metadata: {name: b}\n', '(stdin):6:3', 'document 2 has no kind'],
    ['an item of a JSON List, by its index', '{"apiVersion": "v1", "kind": "List", "items": [\n  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}},\n  {"apiVersion": "v1", "metadata": {"name": "b"}}]}\n', '(stdin):3:3', 'document 1, item 2 has no kind'],
  ])('is reported at its real 1-based line:column and document: %s', (_name, text, at, message) => {
    const r = runCli(['validate', '-f', '-'], text);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`  ${at.replace(/[()]/g, '\\$&')}\\s+error\\s+missing-kind\\s+${message}; it is not a Kubernetes object`));
  });
});

describe('--failure-threshold, as istioctl analyze takes it', () => {
  it.each([
    ['Warning', 1], ['WARNING', 1], ['warning', 1], ['Error', 0], ['ERROR', 0],
  ])('takes %s in any case (demo cluster: warnings only, exit %i)', (threshold, code) => {
    expect(runCli(['validate', '-f', 'scenarios/demo/cluster', '--failure-threshold', threshold as string]).code).toBe(code);
  });

  it('takes info: a note alone (an object of a kind the simulator skips) exits 1 under Info, 0 by default', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ab-')), 'config-map.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: default}\n');
    expect(runCli(['validate', '-f', file]).code).toBe(0);
    const r = runCli(['validate', '-f', file, '--failure-threshold', 'Info']);
    expect(r.stdout).toContain('note  skipped-kinds');
    expect(r.code).toBe(1);
  });

  it('refuses other values as a usage error naming the three', () => {
    const r = runCli(['validate', '-f', 'scenarios/demo/cluster', '--failure-threshold', 'fatal']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'ambient-bench: --failure-threshold takes error, warning or info, got "fatal"\n' });
  });
});
