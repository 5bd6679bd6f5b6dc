import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml, validateJunit } from '../report/junit-schema.js';
import { clientHello, pcapFile, tcpConversation } from '../support/capture-builder.js';
import { rawControl } from '../report/escaping-fixtures.js';
import { ROOT, runCli } from './run-cli.js';

/** End to end: hostile values in files reach no output raw (the in-process properties are in test/report/escaping.test.ts). */

const TITLE = '\u001b]0;owned\u0007';
const HOSTILE = [`t${TITLE}x`, 'n\nALLOW forged  line', 'r\u202eevil', 'p|ipe`tick\\', 'z\u0000\u0085\u2028'];
const dir = mkdtempSync(join(tmpdir(), 'escaping-'));
const DEMO = join(ROOT, 'scenarios/demo/cluster');
const flowsFile = join(dir, 'flows.jsonl');
writeFileSync(flowsFile, `${HOSTILE.map((id, i) => JSON.stringify({
  id, source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 80 },
  protocol: 'http', method: 'POST', path: '/api/v1/payments', host: `h${id}`, headers: { 'x-note': id }, time: i,
})).join('\n')}\n`);
const denyAll = join(dir, 'deny.yaml');
writeFileSync(denyAll, 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: deny-all, namespace: fintech-core }\nspec: { action: DENY, rules: [{}] }\n');

/** Rows of a markdown table split at pipes no odd run of backslashes escapes. */
function cells(row: string): number {
  return row.split(/(?<!\\)(?:\\\\)*\|/).length - 2;
}

describe('hostile names in input files reach no output raw', () => {
  it('simulate -o text: one result line per flow, no control character but newlines', () => {
    const r = runCli(['simulate', '-f', DEMO, '--flows', flowsFile]);
    expect(r.code).toBe(0);
    expect(rawControl(r.stdout)).toBeNull();
    expect(r.stdout.split('\n').filter((l) => /^(ALLOW|DENY) /.test(l))).toHaveLength(HOSTILE.length);
    expect(r.stdout).toContain('t\\x1b]0;owned\\x07x');
  });

  it.each(['jsonl', 'json'])('simulate -o %s parses back to the ids as written', (format) => {
    const r = runCli(['simulate', '-f', DEMO, '--flows', flowsFile, '-o', format]);
    expect(r.code).toBe(0);
    const results = format === 'json' ? JSON.parse(r.stdout).results : r.stdout.trimEnd().split('\n').slice(0, -1).map((l) => JSON.parse(l));
    expect(results.map((x: { id: string }) => x.id).sort()).toEqual([...HOSTILE].sort());
  });

  it('simulate --trace: a capture named with controls, HTTP paths and hosts and a TLS SNI holding them, are shown escaped', () => {
    const request = `GET /a${TITLE}b HTTP/1.1\r\nHost: h${TITLE}\r\n\r\n`;
    const frames = [
      ...tcpConversation('10.244.1.11', '10.244.1.12', 40000, 8080, [request]),
      ...tcpConversation('10.244.1.11', '10.244.1.12', 40001, 443, [clientHello(`s${TITLE}.example`)]),
    ];
    const capture = join(dir, `cap${TITLE}.pcap`);
    writeFileSync(capture, pcapFile(frames.map((bytes, i) => ({ bytes, seconds: 1000 + i }))));
    const text = runCli(['simulate', '-f', DEMO, '--trace', capture]);
    expect(rawControl(text.stdout)).toBeNull();
    expect(text.stdout).toContain('cap\\x1b]0;owned\\x07.pcap');
    const jsonl = runCli(['simulate', '-f', DEMO, '--trace', capture, '-o', 'jsonl']);
    expect(jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)).length).toBeGreaterThan(1);
  });

  it('diff -o markdown keeps every table row\'s columns', () => {
    const r = runCli(['diff', '--before', DEMO, '--after', DEMO, denyAll, '--flows', flowsFile, '-o', 'markdown']);
    expect(r.code).toBe(0);
    expect(rawControl(r.stdout)).toBeNull();
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('|'));
    expect(rows.filter((l) => l.includes('**DENY'))).toHaveLength(HOSTILE.length);
    for (const row of rows) expect([2, 7]).toContain(cells(row));
  });

  it('check -o junit is well-formed and valid; -o text holds no control character', () => {
    const scenario = join(dir, 'scenario');
    mkdirSync(scenario, { recursive: true });
    cpSync(DEMO, join(scenario, 'cluster'), { recursive: true });
    cpSync(flowsFile, join(scenario, 'flows.jsonl'));
    writeFileSync(join(scenario, 'scenario.yaml'), [
      `name: ${JSON.stringify(`payments ${TITLE}\n| forged`)}`, 'manifests: [cluster/]', 'traffic:', '  flows: flows.jsonl', 'expect:',
      ...HOSTILE.map((id) => `  - { flow: ${JSON.stringify(id)}, verdict: deny }`), `  - { flow: ${JSON.stringify(`missing${TITLE}`)}, verdict: allow }`, '',
    ].join('\n'));
    const junit = runCli(['check', scenario, '-o', 'junit']);
    expect(junit.code).toBe(1);
    expect(rawControl(junit.stdout)).toBeNull();
    expect(validateJunit(junit.stdout)).toEqual([]);
    expect(parseXml(junit.stdout).children[0]?.children.filter((c) => c.name === 'testcase')).toHaveLength(HOSTILE.length + 1);
    const text = runCli(['check', scenario]);
    expect(rawControl(text.stdout)).toBeNull();
    expect(text.stdout).not.toMatch(/^\| forged/m);
  });

  it('validate -o text and -o sarif: a file name and object names with controls are shown escaped', () => {
    const manifests = join(dir, `manifests${TITLE}`);
    mkdirSync(manifests, { recursive: true });
    writeFileSync(join(manifests, `bad\u202e.yaml`), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: "bad\\e]0;x\\a" }\n');
    const text = runCli(['validate', '-f', manifests]);
    expect(rawControl(text.stdout)).toBeNull();
    expect(text.stdout).toContain('\\x1b]0;owned\\x07');
    const sarif = runCli(['validate', '-f', manifests, '-o', 'sarif']);
    expect(JSON.parse(sarif.stdout).runs[0].results.length).toBeGreaterThan(0);
  });

  it('a usage error naming a path shows its controls escaped on stderr', () => {
    const r = runCli(['simulate', '-f', join(dir, `missing${TITLE}`), '--flows', flowsFile]);
    expect(r.code).toBe(2);
    expect(rawControl(r.stderr)).toBeNull();
    expect(r.stderr).toContain('missing\\x1b]0;owned\\x07: no such file or directory');
  });

  it('commander\'s own errors (an unknown option, an unknown command) show the argument\'s controls escaped', () => {
    const option = runCli(['simulate', '-f', DEMO, `--x${TITLE}`]);
    expect(option.code).toBe(2);
    expect(rawControl(option.stderr)).toBeNull();
    expect(option.stderr).toContain("unknown option '--x\\x1b]0;owned\\x07'");
    const command = runCli([`x${TITLE}`]);
    expect(command.code).toBe(2);
    expect(rawControl(command.stderr)).toBeNull();
    expect(command.stderr).toContain("unknown command 'x\\x1b]0;owned\\x07'");
  });
});
