import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureBytes } from '../../src/load/capture/read-capture.js';
import { parseFlows } from '../../src/load/flows/parse-flows.js';
import { loadManifests } from '../../src/load/manifests/load-manifests.js';
import { parseScenario } from '../../src/load/scenario/parse-scenario.js';
import { ROOT } from '../cli/run-cli.js';
import { captureMutation, mutateCapture } from './support/capture-mutations.js';
import * as flowCases from './support/flow-cases.js';
import { FUZZ_SEED } from './support/fuzz-settings.js';
import * as manifestCases from './support/manifest-cases.js';
import { inPool, runCliAsync, type CliRun } from './support/run-cli-async.js';
import * as scenarioCases from './support/scenario-cases.js';
import { applyBreaking, breakingMutation } from './support/text-mutations.js';

/**
 * End to end: a few cases of each generator (fixed seed; FUZZ_CLI_RUNS=<n> runs n of each) written to
 * files and given to the real CLI, and the special files of issue 16 (a FIFO and a link to /dev/zero).
 * Every run ends (a hang guard kills it), with exit code 0, 1 or 2 (never 70, never an "internal
 * error"), prints no process warning, and exits as its input says: 2 for unreadable input.
 */
const RUNS = Number(process.env['FUZZ_CLI_RUNS']) > 0 ? Number(process.env['FUZZ_CLI_RUNS']) : 4;
const UNREADABLE = new Set(['unreadable-input', 'input-too-large', 'yaml-syntax', 'json-syntax', 'invalid-flow', 'invalid-flows-file', 'no-flows']);
const DEMO = join(ROOT, 'scenarios/demo/cluster');
const dir = mkdtempSync(join(tmpdir(), 'ambient-bench-fuzz-'));

interface Job {
  readonly name: string;
  readonly args: readonly string[];
  /** Exit codes the input allows, worked out from the loaders in process. */
  readonly codes: readonly number[];
  readonly output?: RegExp;
}

const sample = <T>(arb: fc.Arbitrary<T>) => fc.sample(arb, { numRuns: RUNS, seed: FUZZ_SEED });
const write = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const unreadable = (diagnostics: readonly { severity: string; code: string }[]) => diagnostics.some((d) => d.severity === 'error' && UNREADABLE.has(d.code));

function manifestJobs(): Job[] {
  return sample(fc.tuple(manifestCases.manifestCase, fc.array(breakingMutation, { maxLength: 1 }))).map(([c, breaking], i) => {
    const file = write(`manifests-${i}.${c.layout.startsWith('json') ? 'json' : 'yaml'}`, applyBreaking(manifestCases.write(manifestCases.documentsOf(c.picks), c.layout), breaking));
    const loaded = loadManifests([{ file, text: readFileSync(file, 'utf8') }]);
    const errors = loaded.diagnostics.some((d) => d.severity === 'error');
    return { name: `validate -f ${basename(file)}`, args: ['validate', '-f', file], codes: unreadable(loaded.diagnostics) ? [2] : errors ? [1] : [0, 1] };
  });
}

function flowJobs(): Job[] {
  return sample(fc.tuple(flowCases.flowsCase, fc.array(breakingMutation, { maxLength: 1 }))).map(([c, breaking], i) => {
    const file = write(`flows-${i}.${c.layout}`, applyBreaking(flowCases.write(flowCases.entriesOf(c.picks), c.layout), breaking));
    const parsed = parseFlows(readFileSync(file, 'utf8'), file);
    return { name: `simulate --flows ${basename(file)}`, args: ['simulate', '-f', DEMO, '--flows', file], codes: unreadable(parsed.diagnostics) || parsed.flows.length === 0 ? [2] : [0] };
  });
}

function captureJobs(): Job[] {
  const seeds = ['traces/demo.pcap', 'traces/demo.pcapng'].map((f) => new Uint8Array(readFileSync(join(ROOT, f))));
  return sample(fc.tuple(fc.nat(), fc.array(captureMutation, { minLength: 1, maxLength: 3 }))).map(([n, mutations], i) => {
    const bytes = mutateCapture(seeds[n % seeds.length] as Uint8Array, mutations);
    const file = write(`capture-${i}.${n % 2 === 0 ? 'pcap' : 'pcapng'}`, bytes);
    const { summary } = readCaptureBytes(bytes, { name: file });
    // README "Traffic from captures": a file that is not a capture, or whose header is unsupported, is unreadable input.
    const nothing = summary.reader.packets === 0 && summary.problems.some((p) => p.severity === 'error');
    return { name: `simulate --trace ${basename(file)}`, args: ['simulate', '-f', DEMO, '--trace', file], codes: nothing ? [2] : [0] };
  });
}

function scenarioJobs(): Job[] {
  // The scenarios and the trace they name, copied so that their relative paths hold.
  cpSync(join(ROOT, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  cpSync(join(ROOT, 'traces/demo.pcap'), join(dir, 'traces/demo.pcap'));
  return sample(fc.tuple(scenarioCases.scenarioCase, fc.array(breakingMutation, { maxLength: 1 }))).map(([c, breaking], i) => {
    const file = join(dir, 'scenarios', basename(scenarioCases.seedOf(c).dir), `fuzz-${i}.yaml`);
    writeFileSync(file, applyBreaking(scenarioCases.write(c), breaking));
    const parsed = parseScenario(readFileSync(file, 'utf8'), file);
    return { name: `check ${basename(file)} (${basename(scenarioCases.seedOf(c).dir)})`, args: ['check', file], codes: parsed.diagnostics.some((d) => d.severity === 'error') ? [2] : [0, 1, 2] };
  });
}

/** Issue 16: a FIFO named x.yaml in a -f directory hung the loader; a link to /dev/zero read 625 MB, or, named as a .jsonl flows file, forever. */
function specialFileJobs(): Job[] {
  const cluster = join(dir, 'special', 'cluster');
  mkdirSync(cluster, { recursive: true });
  cpSync(DEMO, cluster, { recursive: true });
  execFileSync('mkfifo', [join(cluster, 'x.yaml')]);
  symlinkSync('/dev/zero', join(cluster, 'zero.yaml'));
  for (const name of ['zero.pcap', 'zero.jsonl']) symlinkSync('/dev/zero', join(dir, 'special', name));
  const scenario = join(dir, 'special', 'scenario.yaml');
  writeFileSync(scenario, 'name: special files\nmanifests: [cluster]\ntraffic:\n  flows:\n    - { source: { workload: orders/checkout-service }, destination: { service: fintech-core/payment-processor, port: 80 } }\nexpect:\n  - noPlaintextInto: fintech-core\n');
  const special = (name: string) => join(dir, 'special', name);
  return [
    { name: 'validate -f a directory holding a FIFO and a link to /dev/zero', args: ['validate', '-f', cluster], codes: [0], output: /x\.yaml.*not a regular file[\s\S]*zero\.yaml.*not a regular file/ },
    { name: 'check a scenario whose manifest directory holds them', args: ['check', scenario], codes: [0] },
    { name: 'simulate --trace a link to /dev/zero', args: ['simulate', '-f', DEMO, '--trace', special('zero.pcap')], codes: [2] },
    { name: 'simulate --flows a link to /dev/zero named .jsonl', args: ['simulate', '-f', DEMO, '--flows', special('zero.jsonl')], codes: [2] },
    { name: 'simulate --flow-log a link to /dev/zero named .jsonl', args: ['simulate', '-f', DEMO, '--flow-log', special('zero.jsonl')], codes: [2] },
  ];
}

const JOBS: readonly Job[] = [...manifestJobs(), ...flowJobs(), ...captureJobs(), ...scenarioJobs(), ...specialFileJobs()];
const runs = new Map<Job, CliRun>();

describe(`the CLI on fuzzed and special files (seed ${FUZZ_SEED}): exit 0, 1 or 2 as the input says, never a crash or a hang`, () => {
  beforeAll(async () => {
    const results = await inPool(JOBS, 2, (job) => runCliAsync(job.args));
    JOBS.forEach((job, i) => runs.set(job, results[i] as CliRun));
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(JOBS.map((job) => [job.name, job] as const))('%s', (_name, job) => {
    const run = runs.get(job) as CliRun;
    const said = `${run.args.join(' ')}\n${run.stderr.slice(0, 2000)}`;
    expect(run.code, `killed by the hang guard: ${said}`).not.toBeNull();
    expect(run.stderr, said).not.toMatch(/internal error|\(node:\d+\) \w*Warning/);
    expect(job.codes, `exit ${run.code}: ${said}`).toContain(run.code);
    if (job.output) expect(run.stdout).toMatch(job.output);
  });
});
