import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * Files that are not what they were named as (a key file or a password file given as manifests, a
 * flows file that is some other JSON or YAML, a scenario that is not one) are reported without copying
 * their content: a diagnostic quotes at most a 40-character excerpt (src/load/excerpt.ts). A random
 * 64-character token on line 3 of each must never appear whole in any output of validate, simulate
 * or check. The parsers quote it themselves: the yaml library names an unresolved alias, a
 * block-scalar header or a bad escape with its source; JSON.parse quotes the text around the error.
 */
const TOKEN = randomBytes(48).toString('base64url').slice(0, 64);
const base = mkdtempSync(join(tmpdir(), 'ambient-bench-secret-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const manifests = join(base, 'manifests');
mkdirSync(manifests);
const hostile: Record<string, string> = {
  'alias.yaml': `a: 1\nb: 2\nc: *${TOKEN}\n`,
  'key.yaml': `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n${TOKEN}\n-----END OPENSSH PRIVATE KEY-----\n`,
  'shadow.yaml': `root:x:0:0\ndaemon:*:1\nadmin:${TOKEN}:19000:0:99999:7:::\n`,
  'escape.yaml': `a: 1\nb: 2\nc: "\\q${TOKEN}"\n`,
  'block.yaml': `a: 1\nb: 2\nc: |${TOKEN}\n  x\n`,
  'json.json': `{"a":\n1,\n"${TOKEN}" "x"}\n`,
};
for (const [name, text] of Object.entries(hostile)) writeFileSync(join(manifests, name), text);
const flowsYaml = join(base, 'flows.yaml');
writeFileSync(flowsYaml, `- id: a\n  source: { ip: 10.0.0.1 }\n- { ${TOKEN}: 1, source: { workload: ${TOKEN} }, destination: { ip: "${TOKEN}" } }\n`);
const flowsJsonl = join(base, 'flows.jsonl');
writeFileSync(flowsJsonl, `{"id":"a"}\n{"id":\n${TOKEN}\n`);
const notAScenario = join(base, 'not-a-scenario.yaml');
writeFileSync(notAScenario, `x\ny\n${TOKEN}\n`);
const scenario = join(base, 'scenarios', 'reads-them');
mkdirSync(scenario, { recursive: true });
writeFileSync(join(scenario, 'scenario.yaml'), 'name: reads them\nmanifests: [../../manifests/]\ntraffic:\n  flows: [../../flows.yaml, ../../flows.jsonl]\nexpect: []\n');

function expectNoToken(args: string[]): void {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout.length).toBeGreaterThan(0);
  expect(r.stdout).not.toContain(TOKEN);
  expect(r.stderr).not.toContain(TOKEN);
  // An excerpt is left, so the user sees where: no more than 40 characters of the token in a row.
  expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN.slice(0, 41));
}

describe('a file that did not parse as what it was named as is quoted only in a short excerpt', () => {
  it.each(['text', 'json', 'sarif'])('validate -o %s', (format) => {
    expectNoToken(['validate', '-f', manifests, '-o', format]);
  }, 60_000);

  it.each(['text', 'json', 'jsonl'])('simulate -o %s', (format) => {
    expectNoToken(['simulate', '-f', manifests, '--flows', flowsYaml, '--flow-log', flowsJsonl, '-o', format]);
  }, 60_000);

  it.each(['text', 'json', 'junit'])('check -o %s, the scenario naming them and a scenario file that is not one', (format) => {
    expectNoToken(['check', '--root', base, join(base, 'scenarios'), notAScenario, '-o', format]);
  }, 60_000);
});
