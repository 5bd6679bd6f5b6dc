import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkScenario, type PreparedScenario, type ScenarioCheck, type ShrunkCounterexample } from '../sim/check-scenario.js';
import type { Clock } from '../model/scenario-check.js';
import { readManifestInputs, unreadable } from '../files.js';
import { prepareMesh } from '../index.js';
import { forEachRecordedFlow } from './recordings.js';
import { confineScenario, scenarioRoot } from './scenario-root.js';
import { admitBelow, relativeTo, resolveSteps } from './resolve-steps.js';
import { resolveTimeline } from './timeline-file.js';
import { checkInvariant } from '../generate/check-invariant.js';
import { generateFlows } from '../generate/generate-flows.js';
import { invariantOf } from '../generate/invariants.js';
import { parseFlows } from '../load/flows/parse-flows.js';
import { loadManifests } from '../load/manifests/load-manifests.js';
import { parseScenario } from '../load/scenario/parse-scenario.js';
import { parseWhatIfFile } from '../load/scenario/parse-what-if.js';
import { EMPTY_CLUSTER, type Cluster, type IstiodEnv } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { Scenario, WhatIfStep } from '../model/scenario.js';

/** Scenario files are named like this inside a scenario directory. */
export const SCENARIO_FILE_NAMES = ['scenario.yaml', 'scenario.yml'];
const FATAL_CODES = new Set(['unreadable-input', 'yaml-syntax', 'json-syntax', 'outside-root']);

/** Where scenario files may read: `root`, a directory (`--root`); without it, see findScenarioFiles. */
export interface ScenarioOptions {
  readonly root?: string;
}

/**
 * Expands `check` arguments: a file is itself; a directory holding `scenario.yaml` is that file; any
 * other directory is searched for scenario directories below it, in name order. `roots` gives each
 * file's root: `options.root` when given, else the directory argument it was found under, else the
 * scenario file's folder (kustomize's LoadRestrictionsRootOnly, api/internal/loader/loadrestrictions.go).
 */
export async function findScenarioFiles(paths: readonly string[], options: ScenarioOptions = {}): Promise<{ files: string[]; roots: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const roots: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    const found = !info ? [] : info.isFile() ? [path] : await scenariosUnder(path);
    if (!info) diagnostics.push(unreadable(path, 'no such file or directory'));
    for (const f of found) {
      files.push(f);
      roots.push(options.root ?? (info?.isFile() ? dirname(f) : path));
    }
  }
  if (files.length === 0 && diagnostics.length === 0) diagnostics.push(unreadable(paths.join(' '), `no ${SCENARIO_FILE_NAMES[0]} found`));
  return { files, roots, diagnostics };
}

async function scenariosUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const own = entries.find((e) => e.isFile() && SCENARIO_FILE_NAMES.includes(e.name));
  if (own) return [join(dir, own.name)];
  const nested = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => scenariosUnder(join(dir, e.name))));
  return nested.flat();
}

/**
 * Reads a scenario file and everything it names, ready for `checkScenario`: only files below
 * `options.root` (default: the scenario's folder); a path outside it is an error and is not opened.
 * Never throws on user input.
 */
export async function readScenario(path: string, options: ScenarioOptions = {}): Promise<PreparedScenario> {
  const root = await scenarioRoot(options.root ?? dirname(path));
  if (!root) return failed(path, [unreadable(options.root ?? dirname(path), 'the root must be an existing directory')]);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return failed(path, [unreadable(path, 'cannot read the scenario file')]);
  const parsed = parseScenario(text, path);
  if (!parsed.scenario) return failed(path, parsed.diagnostics);
  const confined = await confineScenario(parsed.scenario, root);
  for (const d of confined.diagnostics) parsed.diagnostics.push(d);
  const scenario = confined.scenario;
  const base = dirname(path);
  const manifestsAt = scenario.paths.find((p) => p.field === 'manifests')?.source ?? { file: path, document: 0, line: 1 };
  const manifests = await readManifestInputs(scenario.manifests.map((p) => relativeTo(base, p)), admitBelow(root, manifestsAt));
  const loaded = loadManifests(manifests.inputs, { istiodEnv: { ...scenario.istiodEnv } });
  const read = await readFlows(scenario, base);
  const recorded = await readRecordedTraffic(scenario, base, loaded.cluster);
  for (const f of recorded.flows) read.flows.push(f);
  for (const d of recorded.diagnostics) read.diagnostics.push(d);
  const generate = scenario.traffic.generate;
  const flows = { ...read, flows: [...read.flows, ...(generate ? generateFlows(loaded.cluster, generate) : [])] };
  const steps = await resolveSteps(scenario.whatIf, base, scenario.istiodEnv, root);
  const timeline = scenario.timeline ? await resolveTimeline(scenario.timeline, base, scenario.istiodEnv, root) : undefined;
  const diagnostics = [...parsed.diagnostics, ...manifests.diagnostics, ...loaded.diagnostics, ...flows.diagnostics, ...steps.diagnostics, ...(timeline?.diagnostics ?? [])];
  const scenarioErrors = parsed.diagnostics.some((d) => d.severity === 'error');
  return {
    scenario, cluster: loaded.cluster, steps: steps.steps, flows: flows.flows, diagnostics,
    ...(timeline ? { timeline: timeline.timeline } : {}),
    unreadable: scenarioErrors || diagnostics.some((d) => d.severity === 'error' && FATAL_CODES.has(d.code)),
  };
}

/** Seconds on a monotonic clock. */
const clock: Clock = () => performance.now() / 1000;

/**
 * Reads and checks each scenario file, in order. Each check carries its `timing`: the scenario's
 * seconds from reading its file to the last shrunk counterexample, and each expectation's.
 */
export async function checkScenarioFiles(paths: readonly string[], options: ScenarioOptions = {}): Promise<{ checks: ScenarioCheck[]; diagnostics: Diagnostic[] }> {
  if (options.root !== undefined && !(await scenarioRoot(options.root))) {
    return { checks: [], diagnostics: [unreadable(options.root, '--root must be an existing directory')] };
  }
  const found = await findScenarioFiles(paths, options);
  const checks: ScenarioCheck[] = [];
  for (const [i, file] of found.files.entries()) {
    const start = clock();
    const prepared = await readScenario(file, { root: found.roots[i] ?? dirname(file) });
    const check = shrinkFailures(checkScenario(prepared, { clock }), prepared);
    checks.push({ ...check, timing: { seconds: Math.max(0, clock() - start), expectations: check.timing?.expectations ?? [] } });
  }
  return { checks, diagnostics: found.diagnostics };
}

/**
 * With generated traffic, each failed invariant is checked again with fast-check (same seed, as many
 * runs as `count`) so that it is reported as its smallest counterexample, with the fewest policies.
 * The time that takes is added to the expectation's.
 */
function shrinkFailures(check: ScenarioCheck, prepared: PreparedScenario): ScenarioCheck {
  const generate = prepared.scenario.traffic.generate;
  // With a timeline an invariant may hold over one phase only: shrinking over the final configuration would not check the same claim.
  if (!generate || check.status !== 'failed' || prepared.timeline) return check;
  const manifests = prepared.scenario.manifests.map((m) => relativeTo(dirname(prepared.scenario.file), m));
  const shrunk: ShrunkCounterexample[] = [];
  const seconds = [...(check.timing?.expectations ?? check.outcomes.map(() => 0))];
  check.outcomes.forEach((o, i) => {
    const inv = o.passed || o.failure?.kind === 'unknown-reference' ? undefined : invariantOf(o.expectation, prepared.steps);
    if (!inv) return;
    const start = clock();
    const flows = generate.undeclaredPorts === true ? { flows: { undeclaredPorts: true } } : {};
    const outcome = checkInvariant(prepared.cluster, inv, { numRuns: generate.count, seed: generate.seed, ...flows });
    seconds[i] = (seconds[i] ?? 0) + Math.max(0, clock() - start);
    if (!outcome.passed) shrunk.push({ outcome: i, check: outcome, manifests, ...(outcome.explanation ? { explanation: outcome.explanation } : {}) });
  });
  const timed = { ...check, timing: { seconds: check.timing?.seconds ?? 0, expectations: seconds } };
  return shrunk.length > 0 ? { ...timed, shrunk } : timed;
}

/** Reads a steps file for `diff --what-if` and resolves its `apply` files relative to it. */
export async function readWhatIfFile(path: string, istiodEnv: IstiodEnv = {}): Promise<{ steps: WhatIfStep[]; diagnostics: Diagnostic[] }> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return { steps: [], diagnostics: [unreadable(path, 'cannot read the steps file')] };
  const parsed = parseWhatIfFile(text, path);
  const resolved = await resolveSteps(parsed.steps, dirname(path), istiodEnv);
  return { steps: resolved.steps, diagnostics: [...parsed.diagnostics, ...resolved.diagnostics] };
}

async function readFlows(scenario: Scenario, base: string): Promise<{ flows: Flow[]; diagnostics: Diagnostic[] }> {
  const flows: Flow[] = [...scenario.traffic.inlineFlows];
  const diagnostics: Diagnostic[] = [];
  for (const file of scenario.traffic.flowFiles) {
    const path = relativeTo(base, file);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) {
      diagnostics.push(unreadable(path, 'cannot read the flows file'));
      continue;
    }
    const parsed = parseFlows(text, path);
    for (const f of parsed.flows) flows.push(f);
    for (const d of parsed.diagnostics) diagnostics.push(d);
  }
  return { flows, diagnostics };
}

/** `traffic.trace` and `traffic.flowLog`: captures streamed into flows, flow logs parsed. */
async function readRecordedTraffic(scenario: Scenario, base: string, cluster: Cluster): Promise<{ flows: Flow[]; diagnostics: Diagnostic[] }> {
  const flows: Flow[] = [];
  const diagnostics: Diagnostic[] = [];
  const traces = (scenario.traffic.traceFiles ?? []).map((f) => relativeTo(base, f));
  const flowLogs = (scenario.traffic.flowLogFiles ?? []).map((f) => relativeTo(base, f));
  if (traces.length > 0 || flowLogs.length > 0) await forEachRecordedFlow({ traces, flowLogs }, prepareMesh(cluster), diagnostics, (f) => flows.push(f));
  return { flows, diagnostics };
}

function failed(path: string, diagnostics: readonly Diagnostic[]): PreparedScenario {
  const scenario: Scenario = {
    name: path, file: path, manifests: [], istiodEnv: {}, traffic: { flowFiles: [], inlineFlows: [] },
    whatIf: [], hasWhatIf: false, expect: [], paths: [],
  };
  return { scenario, cluster: EMPTY_CLUSTER, steps: [], flows: [], diagnostics, unreadable: true };
}
