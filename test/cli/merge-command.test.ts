import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ambient-bench-merge-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEMO = ['-f', 'scenarios/demo/cluster', '--trace', 'traces/demo.pcap'];

function shard(k: number, n: number, extra: string[] = []): string {
  const r = runCli(['simulate', ...DEMO, '-o', 'jsonl', '--shard', `${k}/${n}`, ...extra]);
  expect(r.code).toBe(0);
  const file = join(dir, `s${k}of${n}${extra.length ? '-x' : ''}.jsonl`);
  writeFileSync(file, r.stdout);
  return file;
}

describe('simulate --shard k/n and merge (DESIGN.md "Scale")', () => {
  const whole = runCli(['simulate', ...DEMO, '-o', 'jsonl']).stdout;
  const shards = [shard(1, 3), shard(2, 3), shard(3, 3)];

  it('merges the shards of the demo capture into exactly the unsharded report, in any order', () => {
    const r = runCli(['merge', shards[2] as string, shards[0] as string, shards[1] as string]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(whole);
  });

  it('writes the merged report as JSON and as text too, as simulate writes them', () => {
    const json = runCli(['merge', ...shards, '-o', 'json']);
    expect(json.code).toBe(0);
    // The demo capture's flows are read in time order, the order -o json and text list them in.
    expect(json.stdout).toBe(runCli(['simulate', ...DEMO, '-o', 'json']).stdout);
    const text = runCli(['merge', ...shards, '-o', 'text']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(runCli(['simulate', ...DEMO, '-o', 'text']).stdout);
  });

  it('each shard lists only its flows, each with its place in the whole input, and a shard section', () => {
    const lines = shards.map((f) => runCli(['merge', f]).stderr);
    expect(lines.every((l) => l.includes('shards missing'))).toBe(true);
    const first = runCli(['simulate', ...DEMO, '-o', 'jsonl', '--shard', '1/3']).stdout.trim().split('\n');
    const tail = JSON.parse(first.pop() as string);
    expect(tail.shard).toMatchObject({ index: 1, count: 3, flowsRead: 16 });
    expect(tail.shard.meshDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const line of first) expect(line).toMatch(/^\{"seq":\d+,"id":/);
  });

  it('refuses missing and repeated shards, shards of another configuration, and reports that are not shards (exit 2, nothing written)', () => {
    const other = shard(2, 3, ['--istiod-env', 'PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true']);
    const cases: [string[], RegExp][] = [
      [[shards[0] as string, shards[1] as string], /shards missing: 3 of 3/],
      [[shards[0] as string, shards[0] as string, shards[1] as string, shards[2] as string], /shard 1 of 3 again/],
      [[shards[0] as string, other, shards[2] as string], /simulated another configuration/],
      [[shards[0] as string, shard(1, 2)], /shard 1 of 2, but .* is a shard of 3/],
    ];
    const wholeFile = join(dir, 'whole.jsonl');
    writeFileSync(wholeFile, whole);
    cases.push([[shards[0] as string, wholeFile], /not a shard report/]);
    const garbage = join(dir, 'garbage.jsonl');
    writeFileSync(garbage, 'not json\n');
    cases.push([[garbage], /last line is not JSON/]);
    cases.push([[join(dir, 'missing.jsonl')], /missing\.jsonl/]);
    for (const [files, message] of cases) {
      const r = runCli(['merge', ...files]);
      expect(r.code, files.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('merges one unsharded report into itself', () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, whole);
    expect(runCli(['merge', file]).stdout).toBe(whole);
  });

  it('takes --shard only as k/n with 1 <= k <= n, and only with -o jsonl', () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '2/70000']) {
      const r = runCli(['simulate', ...DEMO, '-o', 'jsonl', '--shard', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--shard takes k/n');
    }
    const json = runCli(['simulate', ...DEMO, '-o', 'json', '--shard', '1/2']);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('use it with -o jsonl');
  });
});

describe('merge refuses forged reports without rendering them half', () => {
  it('a tail whose counts are not numbers, and a result line that is not a result (exit 2, no stack trace)', () => {
    const first = runCli(['simulate', ...DEMO, '-o', 'jsonl', '--shard', '1/1']).stdout.trim().split('\n');
    const tail = JSON.parse(first.pop() as string);
    const forgedTail = join(dir, 'forged-tail.jsonl');
    writeFileSync(forgedTail, [...first, JSON.stringify({ ...tail, summary: { ...tail.summary, allowed: null } })].join('\n') + '\n');
    const badLine = join(dir, 'forged-line.jsonl');
    writeFileSync(badLine, [(first[0] as string).replace('"reason":', '"reasonX":'), ...first.slice(1), JSON.stringify(tail)].join('\n') + '\n');
    for (const [file, format, message] of [[forgedTail, 'jsonl', /not the summary line/], [badLine, 'text', /not a result of simulate/]] as const) {
      const r = runCli(['merge', file, '-o', format]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });
});
