/**
 * Joins the tails (summary, diagnostics, capture section) of shard reports into the tail the
 * unsharded run writes. Every shard reads every input whole, so what describes the inputs
 * (diagnostics, what each capture and flow log held) is the same in every shard and is taken once;
 * what describes decided flows (summary counts, component counters, where addresses are) adds up.
 * Tunnels are counted from the pools' contents, so a tunnel two shards both opened counts once.
 */
import type { AddressCounts, RecordedTraffic } from '../model/capture.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ComponentCounters, Summary } from '../model/result.js';
import type { ShardSection } from '../model/shard.js';
import { POOL_CAPACITY } from './component-state.js';

/** The last line of a `simulate -o jsonl` report, as merge reads it. */
export interface ReportTail {
  readonly schemaVersion: 1;
  readonly summary: Summary;
  readonly diagnostics: readonly Diagnostic[];
  readonly capture?: RecordedTraffic;
  readonly shard?: ShardSection;
}

/** A report to merge: where it was read from, and its tail. */
export interface NamedTail {
  readonly file: string;
  readonly tail: ReportTail;
}

/** The merged tail, and notes on counters that could not be joined exactly. */
export interface MergedTail {
  readonly tail: Omit<ReportTail, 'shard'>;
  readonly notes: readonly string[];
}

/** Why a set of reports cannot be merged (each problem names its file). */
export class MergeRefused extends Error {}

/**
 * Checks the reports are the shards of one run, then joins their tails. `tunnelsOpened` gives each
 * component's (`kind/name`) tunnels opened when the caller counted them itself (a run over threads
 * replays every pooled request through one set of pools, in input order).
 */
export function mergeTails(reports: readonly NamedTail[], tunnelsOpened?: ReadonlyMap<string, number>): MergedTail {
  checkShards(reports);
  const first = reports[0] as NamedTail;
  if (reports.length === 1 && first.tail.shard === undefined) return { tail: first.tail, notes: [] };
  const tails = reports.map((r) => r.tail);
  const notes: string[] = [];
  const summary: Summary = {
    flows: sum(tails, (t) => t.summary.flows),
    allowed: sum(tails, (t) => t.summary.allowed),
    denied: sum(tails, (t) => t.summary.denied),
    unencrypted: sum(tails, (t) => t.summary.unencrypted),
    components: mergeComponents(tails, notes, tunnelsOpened),
  };
  const capture = first.tail.capture === undefined ? undefined : mergeCapture(tails.map((t) => t.capture as RecordedTraffic));
  // In the order simulate's report lists them (-o json writes the sections in this order).
  return { tail: { schemaVersion: 1, diagnostics: first.tail.diagnostics, summary, ...(capture ? { capture } : {}) }, notes };
}

/** Refuses reports that are not all the shards of one run over one configuration and the same inputs. */
export function checkShards(reports: readonly NamedTail[]): void {
  const first = reports[0];
  if (first === undefined) throw new MergeRefused('no reports to merge');
  const unsharded = reports.filter((r) => r.tail.shard === undefined);
  if (unsharded.length > 0 && reports.length > 1) {
    throw new MergeRefused(`${unsharded.map((r) => r.file).join(', ')}: not a shard report (no "shard" section: write shards with simulate --shard k/n -o jsonl)`);
  }
  if (unsharded.length > 0) return;
  const spec = first.tail.shard as ShardSection;
  const byIndex = new Map<number, string>();
  for (const { file, tail } of reports) {
    const s = tail.shard as ShardSection;
    if (s.count !== spec.count) throw new MergeRefused(`${file}: shard ${s.index} of ${s.count}, but ${first.file} is a shard of ${spec.count}`);
    if (s.meshDigest !== spec.meshDigest) throw new MergeRefused(`${file}: simulated another configuration than ${first.file} (mesh ${s.meshDigest}, not ${spec.meshDigest})`);
    const earlier = byIndex.get(s.index);
    if (earlier !== undefined) throw new MergeRefused(`${file}: shard ${s.index} of ${s.count} again (${earlier} is that shard too)`);
    byIndex.set(s.index, file);
    if (s.flowsRead !== spec.flowsRead || !sameJson(tail.diagnostics, first.tail.diagnostics) || !sameInputs(tail.capture, first.tail.capture)) {
      throw new MergeRefused(`${file}: read other inputs than ${first.file} (every shard reads the same traffic: ${s.flowsRead} flows there, ${spec.flowsRead} here, or other diagnostics or captures)`);
    }
  }
  const missing: number[] = [];
  for (let k = 1; k <= spec.count && missing.length < 20; k++) if (!byIndex.has(k)) missing.push(k);
  if (missing.length > 0) throw new MergeRefused(`shards missing: ${missing.join(', ')}${missing.length === 20 ? ', ...' : ''} of ${spec.count} (merge joins every shard of a run)`);
}

/** The order Simulator `counters` lists components in: waypoints, ztunnels, sidecars, each by name. */
const KIND_ORDER = { waypoint: 0, ztunnel: 1, sidecar: 2 } as const;

function mergeComponents(tails: readonly ReportTail[], notes: string[], counted: ReadonlyMap<string, number> | undefined): ComponentCounters[] {
  const joined = new Map<string, { counters: ComponentCounters[]; tunnels: Set<string>; overflowed: boolean }>();
  for (const t of tails) {
    const shard = t.shard as ShardSection;
    const overflowed = new Set(shard.poolsOverflowed);
    for (const c of t.summary.components ?? []) {
      const key = `${c.kind}/${c.component}`;
      let j = joined.get(key);
      if (j === undefined) joined.set(key, (j = { counters: [], tunnels: new Set(), overflowed: false }));
      j.counters.push(c);
      for (const tunnel of shard.tunnels[key] ?? []) j.tunnels.add(tunnel);
      if (overflowed.has(key)) j.overflowed = true;
    }
  }
  const out: ComponentCounters[] = [];
  for (const [key, { counters, tunnels, overflowed }] of joined) {
    const c = counters[0] as ComponentCounters;
    let tunnelsOpened = tunnels.size;
    if (counted !== undefined) tunnelsOpened = counted.get(key) ?? 0;
    else if (overflowed) {
      tunnelsOpened = sum(counters, (x) => x.tunnelsOpened);
      notes.push(`${key}: a shard's tunnel pool reached ${POOL_CAPACITY} tunnels and was emptied, so its tunnels opened are summed over shards (a tunnel several shards opened counts once per shard)`);
    } else if (tunnels.size > POOL_CAPACITY) {
      notes.push(`${key}: ${tunnels.size} distinct tunnels across shards; one run's pool empties at ${POOL_CAPACITY}, so it would count tunnels opened again`);
    }
    out.push({
      component: c.component, kind: c.kind, connections: sum(counters, (x) => x.connections), requests: sum(counters, (x) => x.requests),
      denials: sum(counters, (x) => x.denials), tunnelsOpened, bytes: sum(counters, (x) => x.bytes),
    });
  }
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
}

/** Captures and flow logs are the same in every shard; where the decided flows' addresses are adds up. */
function mergeCapture(captures: readonly RecordedTraffic[]): RecordedTraffic {
  const first = captures[0] as RecordedTraffic;
  const a = captures.map((c) => c.addresses);
  return {
    captures: first.captures,
    flowLogs: first.flowLogs,
    addresses: {
      sources: addCounts(a.map((x) => x.sources)),
      destinations: addCounts(a.map((x) => x.destinations)),
      postDnat: sum(a, (x) => x.postDnat),
      undone: sum(a, (x) => x.undone),
    },
  };
}

function addCounts(list: readonly AddressCounts[]): AddressCounts {
  return { pod: sum(list, (c) => c.pod), service: sum(list, (c) => c.service), node: sum(list, (c) => c.node), external: sum(list, (c) => c.external) };
}

function sameInputs(a: RecordedTraffic | undefined, b: RecordedTraffic | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameJson(a.captures, b.captures) && sameJson(a.flowLogs, b.flowLogs);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sum<T>(list: readonly T[], of: (x: T) => number): number {
  let n = 0;
  for (const x of list) n += of(x);
  return n;
}
