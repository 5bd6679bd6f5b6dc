import { readFlowsInput } from '../files/flows-input.js';
import { generateFlows } from '../index.js';
import type { TrafficInputs } from '../files/run-simulation.js';
import type { MeshIndex, RecordedTrafficInput } from '../index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import { UsageError } from './exit.js';
import { readRecordings } from './read-recordings.js';

/** The traffic options `simulate` and `diff` share (DESIGN.md: `--flows | --trace | --flow-log | --generate`). */
export interface TrafficOptions {
  flows?: string;
  trace?: string[];
  flowLog?: string[];
  generate?: string;
  seed?: string;
  undeclaredPorts?: boolean;
}

/** Traffic read from every source given; recordings keep what their files held, for the capture section. */
export interface Traffic {
  readonly flows: Flow[];
  readonly recorded?: RecordedTrafficInput;
}

export function hasTraffic(opts: TrafficOptions): boolean {
  return opts.flows !== undefined || opts.trace !== undefined || opts.flowLog !== undefined || opts.generate !== undefined;
}

export const NO_TRAFFIC = 'no traffic given: pass --flows <file> (- for standard input), --trace <capture>..., --flow-log <file>... or --generate <n>';

/** `--generate <n> [--seed <s>] [--undeclared-ports]`; without a seed, a random one (printed, so the run can be repeated). */
export function parseGeneration(opts: TrafficOptions): { count: number; seed: number; undeclaredPorts?: boolean } | undefined {
  if (opts.seed !== undefined && opts.generate === undefined) throw new UsageError('--seed needs --generate <n>');
  if (opts.undeclaredPorts === true && opts.generate === undefined) throw new UsageError('--undeclared-ports needs --generate <n>');
  if (opts.generate === undefined) return undefined;
  const count = Number(opts.generate);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--generate takes a positive number of flows, got "${opts.generate}"`);
  const seed = opts.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(opts.seed);
  if (!Number.isInteger(seed) || Math.abs(seed) >= 2 ** 31) throw new UsageError(`--seed takes an integer, got "${opts.seed}"`);
  return { count, seed, ...(opts.undeclaredPorts === true ? { undeclaredPorts: true } : {}) };
}

/** Says on stderr which seed generated the flows, so the run can be repeated. */
export function reportGeneration(generation: { count: number; seed: number }): void {
  process.stderr.write(`ambient-bench: generated ${generation.count} flows over the cluster with seed ${generation.seed} (--seed ${generation.seed} generates them again)\n`);
}

/** The command's traffic options as the inputs of a run; `--flows -` reads standard input. */
export function trafficInputs(opts: TrafficOptions, generation: { count: number; seed: number } | undefined): TrafficInputs {
  return {
    ...(opts.flows !== undefined ? { flows: opts.flows } : {}),
    ...(opts.flows === '-' ? { stdin: process.stdin } : {}),
    ...(generation ? { generate: generation } : {}),
    traces: opts.trace ?? [],
    flowLogs: opts.flowLog ?? [],
  };
}

/** Reads every traffic source into memory (for `diff`, which joins two runs); problems go to `diagnostics`. */
export async function readTraffic(opts: TrafficOptions, index: MeshIndex, diagnostics: Diagnostic[]): Promise<Traffic> {
  const generation = parseGeneration(opts);
  const flows: Flow[] = [];
  if (opts.flows !== undefined) {
    const source = { file: opts.flows, ...(opts.flows === '-' ? { stdin: process.stdin } : {}) };
    for await (const batch of readFlowsInput(source, diagnostics, { entries: 0, dropped: 0, flows: 0 })) for (const f of batch) flows.push(f);
  }
  if (generation) {
    for (const f of generateFlows(index, generation)) flows.push(f);
    reportGeneration(generation);
  }
  if (!opts.trace && !opts.flowLog) return { flows };
  const recorded = await readRecordings(opts.trace ?? [], opts.flowLog ?? [], index, diagnostics);
  return { flows, recorded };
}
