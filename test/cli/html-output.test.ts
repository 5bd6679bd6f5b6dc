import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

/** `-o html` keeps each command's exit codes (DESIGN.md contract); the page itself is tested in a browser (test/report/html/). */
const DEMO = ['-f', 'scenarios/demo/cluster', '--flows', 'scenarios/demo/flows.yaml'];
const STORY = 'scenarios/waypoint-breaks-l4-policy';
const temp = mkdtempSync(join(tmpdir(), 'ambient-bench-html-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const isReport = (stdout: string) => stdout.startsWith('<!DOCTYPE html>') && stdout.trimEnd().endsWith('</html>');

describe('-o html', () => {
  it.each([
    ['simulate', ['simulate', ...DEMO], 0],
    ['simulate --fail-on deny with denied flows', ['simulate', ...DEMO, '--fail-on', 'deny'], 1],
    ['diff', ['diff', '-f', `${STORY}/cluster.yaml,${STORY}/policies.yaml`, '--what-if', `${STORY}/scenario.yaml`, '--flows', `${STORY}/flows.yaml`], 0],
    ['diff --fail-on-change with a change', ['diff', '-f', `${STORY}/cluster.yaml,${STORY}/policies.yaml`, '--what-if', `${STORY}/scenario.yaml`, '--flows', `${STORY}/flows.yaml`, '--fail-on-change'], 1],
    ['check of a passing scenario', ['check', STORY], 0],
  ])('%s writes one HTML file and exits %i', (_, args, code) => {
    const r = runCli([...args, '-o', 'html']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(code);
    expect(isReport(r.stdout)).toBe(true);
  });

  it('check exits 1 when an expectation fails, and the report names it', () => {
    const story = join(temp, 'story');
    cpSync(join(ROOT, STORY), story, { recursive: true });
    writeFileSync(join(story, 'scenario.yaml'), `${readFileSync(join(story, 'scenario.yaml'), 'utf8')}  - flow: checkout-pays\n    verdict: allow\n`);
    const r = runCli(['check', story, '-o', 'html']);
    expect(r.code).toBe(1);
    expect(isReport(r.stdout)).toBe(true);
    expect(r.stdout).toContain('verdict: expected allow, got deny');
  });

  it('is listed among the formats of an unknown one', () => {
    expect(runCli(['simulate', ...DEMO, '-o', 'pdf']).stderr).toMatch(/text, json, jsonl, html/);
  });
});
