/**
 * The one run of `simulate`: reads every traffic input as a stream (flows file or standard input,
 * generated flows, captures, flow logs), decides each flow with the simulator, and hands results
 * over in batches as they are decided. Reading waits while the consumer has not asked for more.
 */
import { forEachGeneratedFlow } from '../generate/generate-flows.js';
import { RecordedReplay, type MeshIndex } from '../index.js';
import type { RecordedTraffic } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult, Summary } from '../model/result.js';
import { RouteJson } from '../dataplane/route-json.js';
import { resultJson } from '../report/result-json.js';
import { Simulator } from '../sim/simulator.js';
import { readFlowsInput, type FlowsFileCounts } from './flows-input.js';
import { pullBatches } from './pull-batches.js';
import { forEachRecordedFlow, type RecordingWatcher } from './recordings.js';
import { meshDigest } from './mesh-digest.js';
import { inShard } from '../sim/shard.js';
import type { ShardSection, ShardSpec } from '../model/shard.js';

/** Writers of a run's report as results are decided (`-o json`, `jsonl`, `text`). */
export { jsonLinesStream, jsonStream, textStream, type ReportStream } from '../report/report-stream.js';

const BATCH = 4096;
/** Results handed over at once. */
const RESULT_BATCH = 256;

/** The traffic of one run; any mix of sources. */
export interface TrafficInputs {
  /** A flows file, or `-` for `stdin`. */
  readonly flows?: string;
  readonly stdin?: AsyncIterable<Uint8Array>;
  readonly generate?: { readonly count: number; readonly seed: number; readonly undeclaredPorts?: boolean };
  readonly traces?: readonly string[];
  readonly flowLogs?: readonly string[];
}

export interface RunOptions {
  /** Replay flows captured to a pod behind a Service as traffic to the Service. */
  readonly undoDnat?: boolean;
  /**
   * With captures or flow logs: decide every flow in time order (all flows are held and sorted, as
   * the json and text reports list them) instead of in the order they are read.
   */
  readonly timeOrder?: boolean;
  /** Diagnostics of the inputs read before the run (the manifests'); listed after the mesh's. */
  readonly diagnostics?: readonly Diagnostic[];
  /** Progress and pacing of capture reading. */
  readonly watcher?: RecordingWatcher;
  /** Called with each flow and its result as `results` hands them over (for `--metrics`, which needs the flow's time). */
  readonly onResult?: (flow: Flow, result: FlowResult) => void;
  /**
   * Decide only the flows of this shard (by their pair of endpoints; sim/shard.ts): every input is
   * still read whole, so diagnostics and capture accounting are those of the whole input, and each
   * `-o jsonl` line starts with `"seq"`, the flow's place among every flow read, for `merge`.
   */
  readonly shard?: ShardSpec;
  /** Log each flow's pooled HBONE requests with its line (JsonLinesBatch `tunnels`), for a run split over threads. */
  readonly logTunnels?: boolean;
  /**
   * A job's share of a run split over threads: decide these flows instead of reading `inputs`, as
   * recorded traffic when `recorded` (the thread that read the inputs says which).
   */
  readonly share?: { readonly flows: AsyncIterable<Flow[]>; readonly recorded: boolean };
  /** Called with every flow of `results` as it is decided (`suggest` keeps them to replay). */
  readonly onFlow?: (flow: Flow) => void;
}

/** What is known once every result has been taken. */
export interface RunTail {
  readonly summary: Summary;
  readonly diagnostics: Diagnostic[];
  /** With captures or flow logs: what each file held and where the addresses are. */
  readonly capture?: RecordedTraffic;
  /** With a flows file: entries read, dropped as invalid, and kept. */
  readonly flowsFile?: FlowsFileCounts;
  /** With `shard`: the section `merge` reads. */
  readonly shard?: ShardSection;
}

/** Results as `-o jsonl` writes them, with the counts `--fail-on` needs. */
export interface JsonLinesBatch {
  /** One line of JSON per result, each ending in a newline ('' when `bytes` holds them). */
  readonly text: string;
  /** The lines as UTF-8, instead of `text` (a run split over threads encodes them where they are written). */
  readonly bytes?: Uint8Array;
  readonly denied: number;
  /** Allowed flows not encrypted end to end. */
  readonly plaintext: number;
  /**
   * With `logTunnels`: the batch's pooled HBONE requests (Simulator `tunnelLog`): per line, how many,
   * then four numbers each; and the names first numbered in this batch, in order.
   */
  readonly tunnels?: { readonly log: Int32Array; readonly names: readonly string[] };
}

export interface SimulationRun {
  /** Results in batches, in the order flows are decided; iterate once, and either this or `jsonLines`. */
  readonly results: AsyncIterable<readonly FlowResult[]>;
  /**
   * The same results as `-o jsonl` lines, in batches: a flow the verdict path explains is written
   * from its decision and route without building its result (RouteJson), any other as resultJson
   * writes its result. Iterate once, instead of `results`.
   */
  readonly jsonLines: AsyncIterable<JsonLinesBatch>;
  /** The summary, diagnostics and capture section; call after `results` is done. */
  tail(): RunTail;
}

/** Starts a run over `inputs` through the mesh of `index`. Never throws on user input: problems become diagnostics. */
export function runSimulation(index: MeshIndex, inputs: TrafficInputs, options: RunOptions = {}): SimulationRun {
  const diagnostics: Diagnostic[] = [...index.mesh.diagnostics];
  for (const d of options.diagnostics ?? []) diagnostics.push(d);
  const recorded = options.share ? options.share.recorded : isRecorded(inputs);
  const counts: FlowsFileCounts | undefined = inputs.flows !== undefined ? { entries: 0, dropped: 0, flows: 0 } : undefined;
  const logTunnels = options.logTunnels === true;
  const replay = recorded ? new RecordedReplay(index, { undoDnat: options.undoDnat === true, logTunnels }) : undefined;
  const sim = replay ? undefined : new Simulator(index, { logTunnels });
  const simulator = replay ?? (sim as Simulator);
  let named = 0;
  const decide = (flow: Flow): FlowResult => (replay ? replay.replay(flow) : (sim as Simulator).processFlow(flow).result);
  const shard = options.shard;
  /** With `shard`: flows read so far, and the place of each flow kept. */
  let read = 0;
  const seqOf = new WeakMap<Flow, number>();

  /** The flows of the shard, each with its place among all flows read. */
  async function* inThisShard(batches: AsyncIterable<Flow[]>, spec: ShardSpec): AsyncGenerator<Flow[]> {
    for await (const batch of batches) {
      const kept: Flow[] = [];
      for (const flow of batch) {
        const seq = read++;
        if (!inShard(flow, spec)) continue;
        seqOf.set(flow, seq);
        kept.push(flow);
      }
      if (kept.length > 0) yield kept;
    }
  }

  function source(): AsyncIterable<Flow[]> {
    const all = shard ? inThisShard(flows(), shard) : flows();
    return recorded && options.timeOrder ? inTimeOrder(all) : all;
  }

  const reading = options.share ? undefined : readTraffic(index, inputs, options, diagnostics, counts);
  const flows = (): AsyncIterable<Flow[]> => (options.share ? options.share.flows : (reading as TrafficReading).batches);

  async function* results(): AsyncGenerator<FlowResult[]> {
    for await (const batch of source()) {
      // Results are handed over a few at a time: a whole chunk's results held at once (tens of
      // thousands, with their steps) would outlive the young generation and grow the heap.
      for (let start = 0; start < batch.length; start += RESULT_BATCH) {
        const end = Math.min(batch.length, start + RESULT_BATCH);
        const out = new Array<FlowResult>(end - start);
        for (let i = start; i < end; i++) {
          options.onFlow?.(batch[i] as Flow);
          const result = decide(batch[i] as Flow);
          options.onResult?.(batch[i] as Flow, result);
          out[i - start] = result;
        }
        yield out;
      }
    }
  }

  // Lines are written from the verdict path's route (RouteJson), a recorded flow once placed.
  const lineSim = replay ? replay.simulator : (sim as Simulator);
  const routeJson = new RouteJson(lineSim.verdictPath.compiled);

  async function* jsonLines(): AsyncGenerator<JsonLinesBatch> {
    for await (const batch of source()) {
      let text = '';
      let denied = 0;
      let plaintext = 0;
      const tunnels: number[] | undefined = logTunnels ? [] : undefined;
      for (const read of batch) {
        const flow = replay ? replay.place(read) : read;
        // The line is written from the route before the next flow is decided; resultOf explains it the same.
        const decision = lineSim.decide(flow);
        let line = routeJson.json(flow, lineSim.verdictPath.route, decision) ?? resultJson(lineSim.resultOf(flow, lineSim.lastEvaluation));
        if (decision.verdict === 'deny') denied++;
        else if (!decision.encrypted) plaintext++;
        if (shard) line = `{"seq":${seqOf.get(read) as number},${line.slice(1)}`;
        text += `${line}\n`;
        if (tunnels) {
          const log = simulator.tunnelLog;
          tunnels.push(log.length / 4);
          for (const n of log) tunnels.push(n);
          log.length = 0;
        }
      }
      const names = simulator.tunnelNames;
      const fresh = tunnels ? names.slice(named) : [];
      named = names.length;
      yield { text, denied, plaintext, ...(tunnels ? { tunnels: { log: Int32Array.from(tunnels), names: fresh } } : {}) };
    }
  }

  return {
    results: results(),
    jsonLines: jsonLines(),
    tail: () => {
      const section = shard ? { shard: shardSection(index, shard, read, (replay ?? (sim as Simulator)).pooledTunnels()) } : {};
      if (replay) {
        const t = replay.finish(reading?.held() ?? { captures: [], flowLogs: [] });
        return { summary: t.summary, diagnostics, capture: t.capture, ...(counts ? { flowsFile: counts } : {}), ...section };
      }
      return { summary: (sim as Simulator).summary(), diagnostics, ...(counts ? { flowsFile: counts } : {}), ...section };
    },
  };
}

/** True when the inputs hold captures or flow logs (whose flows are replayed as recorded traffic). */
export function isRecorded(inputs: TrafficInputs): boolean {
  return (inputs.traces ?? []).length > 0 || (inputs.flowLogs ?? []).length > 0;
}

/** The flows of a run's inputs as they are read, and what the recordings held once read. */
export interface TrafficReading {
  readonly batches: AsyncGenerator<Flow[]>;
  /** What each capture and flow log held; complete once `batches` is done. */
  held(): Omit<RecordedTraffic, 'addresses'>;
}

/**
 * Reads every traffic input as a stream, in batches: the flows file (or standard input), generated
 * flows, then captures and flow logs. Problems go to `diagnostics`; the flows file's counts to `counts`.
 */
export function readTraffic(index: MeshIndex, inputs: TrafficInputs, options: Pick<RunOptions, 'watcher'>, diagnostics: Diagnostic[], counts: FlowsFileCounts | undefined): TrafficReading {
  const recordings = { traces: inputs.traces ?? [], flowLogs: inputs.flowLogs ?? [] };
  let held: Omit<RecordedTraffic, 'addresses'> = { captures: [], flowLogs: [] };
  async function* batches(): AsyncGenerator<Flow[]> {
    if (inputs.flows !== undefined) yield* readFlowsInput({ file: inputs.flows, ...(inputs.stdin ? { stdin: inputs.stdin } : {}) }, diagnostics, counts as FlowsFileCounts);
    const generation = inputs.generate;
    if (generation) {
      // Drawn as they are taken, BATCH at a time: `--generate 2000000` holds one batch, not every flow.
      yield* pullBatches<Flow>(async (push, pace) => {
        let drawn = 0;
        await forEachGeneratedFlow(index, generation, (flow) => {
          push(flow);
          return ++drawn % BATCH === 0 ? pace() : undefined;
        });
      });
    }
    if (!isRecorded(inputs)) return;
    yield* pullBatches<Flow>(async (push, pace) => {
      held = await forEachRecordedFlow(recordings, index, diagnostics, push, { ...options.watcher, pace });
    });
  }
  return { batches: batches(), held: () => held };
}

function shardSection(index: MeshIndex, spec: ShardSpec, flowsRead: number, pools: { tunnels: Record<string, string[]>; overflowed: string[] }): ShardSection {
  return { index: spec.index, count: spec.count, meshDigest: meshDigest(index.mesh), flowsRead, tunnels: pools.tunnels, poolsOverflowed: pools.overflowed };
}

/** Every flow, held and stably sorted by time, in batches. */
async function* inTimeOrder(batches: AsyncIterable<Flow[]>): AsyncGenerator<Flow[]> {
  const all: Flow[] = [];
  for await (const batch of batches) for (const f of batch) all.push(f);
  const order = all.map((_, i) => i).sort((a, b) => (all[a] as Flow).time - (all[b] as Flow).time || a - b);
  for (let i = 0; i < order.length; i += BATCH) yield order.slice(i, i + BATCH).map((k) => all[k] as Flow);
}
