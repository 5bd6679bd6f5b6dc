import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../src/files.js';
import { runSimulation, jsonLinesStream } from '../../src/files/run-simulation.js';
import { mergedResultLines, mergeTails, readReportTail } from '../../src/files/shard-reports.js';
import { clusterWithPolicies } from '../../src/generate/small-clusters.js';
import { prepareMesh, type MeshIndex } from '../../src/index.js';
import type { ShardSpec } from '../../src/model/shard.js';

const dir = mkdtempSync(join(tmpdir(), 'ambient-bench-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `-o jsonl` report simulate writes, as text: result lines, then the tail with the shard section. */
async function report(index: MeshIndex, traffic: Parameters<typeof runSimulation>[1], shard?: ShardSpec): Promise<string> {
  const run = runSimulation(index, traffic, shard ? { shard } : {});
  let text = '';
  for await (const batch of run.jsonLines) text += batch.text;
  const tail = run.tail();
  const rest = { schemaVersion: 1 as const, summary: tail.summary, diagnostics: tail.diagnostics, ...(tail.capture ? { capture: tail.capture } : {}) };
  return text + jsonLinesStream().tail(rest, tail.shard ? { shard: tail.shard } : {});
}

/** merge's output for the report files, as `merge -o jsonl` writes it. */
async function merged(files: string[]): Promise<string> {
  const tails = [];
  for (const f of files) tails.push(await readReportTail(f));
  const m = mergeTails(tails);
  let text = '';
  for await (const batch of mergedResultLines(files, tails[0]?.tail.shard !== undefined)) text += `${batch.join('\n')}\n`;
  return text + jsonLinesStream().tail(m.tail);
}

let written = 0;
function write(text: string): string {
  const file = join(dir, `r${written++}.jsonl`);
  writeFileSync(file, text);
  return file;
}

async function shardsMerged(index: MeshIndex, traffic: Parameters<typeof runSimulation>[1], count: number): Promise<string> {
  const files: string[] = [];
  // In any order: merge orders results by their place in the input.
  for (let k = count; k >= 1; k--) files.push(write(await report(index, traffic, { index: k, count })));
  return merged(files);
}

describe('merge of every shard of a run equals the unsharded run (DESIGN.md "Scale")', () => {
  it('for random clusters with policies, generated traffic and shard counts: results, summary and component counters', async () => {
    await fc.assert(fc.asyncProperty(clusterWithPolicies(), fc.integer(), fc.integer({ min: 1, max: 7 }), async (cluster, seed, count) => {
      const index = prepareMesh(cluster);
      const traffic = { generate: { count: 120, seed } };
      const whole = await report(index, traffic);
      expect(await shardsMerged(index, traffic, count)).toBe(whole);
    }), { numRuns: 30 });
  });

  it('for the demo capture (capture accounting, addresses, HBONE tunnels through a waypoint) and the demo flows', async () => {
    const index = prepareMesh((await loadManifestFiles(['scenarios/demo/cluster'])).cluster);
    for (const traffic of [{ traces: ['traces/demo.pcap'] }, { flows: 'scenarios/demo/flows.yaml' }]) {
      const whole = await report(index, traffic);
      for (const count of [1, 2, 3, 5, 16]) expect(await shardsMerged(index, traffic, count)).toBe(whole);
    }
  });

  it('counts a tunnel that two shards opened once: the pools say which tunnels they hold', async () => {
    const index = prepareMesh((await loadManifestFiles(['scenarios/demo/cluster'])).cluster);
    const traffic = { traces: ['traces/demo.pcap'] };
    const shards = [];
    for (let k = 1; k <= 3; k++) shards.push(JSON.parse((await report(index, traffic, { index: k, count: 3 })).trim().split('\n').pop() as string));
    const waypointTunnels = shards.map((s) => s.shard.tunnels['waypoint/fintech-core/payments-waypoint'] ?? []);
    const opened = shards.map((s) => s.summary.components.find((c: { component: string }) => c.component === 'fintech-core/payments-waypoint')?.tunnelsOpened ?? 0);
    // The waypoint's tunnel to the payment pod is opened in more than one shard, and once in the whole run.
    expect(waypointTunnels.filter((t) => t.length > 0).length).toBeGreaterThan(1);
    expect(opened.reduce((a, b) => a + b, 0)).toBeGreaterThan(1);
    const whole = JSON.parse((await report(index, traffic)).trim().split('\n').pop() as string);
    expect(whole.summary.components.find((c: { component: string }) => c.component === 'fintech-core/payments-waypoint').tunnelsOpened).toBe(1);
  });
});
