/**
 * Joins the tails (summary, diagnostics, capture section) of shard reports into the tail the
 * unsharded run writes. Every shard reads every input whole, so what describes the inputs
 * (diagnostics, what each capture and flow log held) is the same in every shard and is taken once;
 * what describes decided flows (summary counts, component counters, where addresses are) adds up.
 * Tunnels are counted from the pools' contents, so a tunnel two shards both opened counts once.
 */
import type { AddressCounts, AddressPlacement, RecordedTraffic } from '../model/capture.js';
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

/** Checks the reports are the shards of one run, then joins their tails. */
export function mergeTails(reports: readonly NamedTail[]): MergedTail {
  checkShards(reports);
  const first = reports[0] as NamedTail;
  if (reports.length === 1 && first.tail.shard === undefined) return { tail: first.tail, notes: [] };
  const tails = reports.map((r) => r.tail);
  const notes: string[] = [];
  const summary = joinSummaries(tails.map((t) => t.summary), shardTunnels(tails, notes));
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

/**
 * The summaries of parts of one run as the whole run's: counts and component counters added up, the
 * components in the order Simulator `counters` lists them; each component's (`kind/name`) tunnels
 * opened as `tunnelsOpened` says, since pooled tunnels do not add up.
 */
export function joinSummaries(summaries: readonly Summary[], tunnelsOpened: (key: string, parts: readonly ComponentCounters[]) => number): Summary {
  const byKey = new Map<string, ComponentCounters[]>();
  for (const s of summaries) {
    for (const c of s.components ?? []) {
      const key = `${c.kind}/${c.component}`;
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [c]);
      else list.push(c);
    }
  }
  const components: ComponentCounters[] = [];
  for (const [key, parts] of byKey) {
    const c = parts[0] as ComponentCounters;
    components.push({
      component: c.component, kind: c.kind, connections: sum(parts, (x) => x.connections), requests: sum(parts, (x) => x.requests),
      denials: sum(parts, (x) => x.denials), tunnelsOpened: tunnelsOpened(key, parts), bytes: sum(parts, (x) => x.bytes),
    });
  }
  components.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
  return {
    flows: sum(summaries, (s) => s.flows), allowed: sum(summaries, (s) => s.allowed), denied: sum(summaries, (s) => s.denied),
    unencrypted: sum(summaries, (s) => s.unencrypted), components,
  };
}

/** The order Simulator `counters` lists components in: waypoints, ztunnels, sidecars, each by name. */
const KIND_ORDER = { waypoint: 0, ztunnel: 1, sidecar: 2 } as const;

/**
 * Shards' tunnels opened, from their pools' contents: a tunnel two shards opened counts once; where a
 * shard's pool overflowed, only the sum is known (and `notes` says so).
 */
function shardTunnels(tails: readonly ReportTail[], notes: string[]): (key: string, parts: readonly ComponentCounters[]) => number {
  return (key, parts) => {
    const tunnels = new Set<string>();
    let overflowed = false;
    for (const t of tails) {
      const shard = t.shard as ShardSection;
      for (const tunnel of shard.tunnels[key] ?? []) tunnels.add(tunnel);
      if (shard.poolsOverflowed.includes(key)) overflowed = true;
    }
    if (overflowed) {
      notes.push(`${key}: a shard's tunnel pool reached ${POOL_CAPACITY} tunnels and was emptied, so its tunnels opened are summed over shards (a tunnel several shards opened counts once per shard)`);
      return sum(parts, (x) => x.tunnelsOpened);
    }
    if (tunnels.size > POOL_CAPACITY) notes.push(`${key}: ${tunnels.size} distinct tunnels across shards; one run's pool empties at ${POOL_CAPACITY}, so it would count tunnels opened again`);
    return tunnels.size;
  };
}

/** Captures and flow logs are the same in every shard; where the decided flows' addresses are adds up. */
function mergeCapture(captures: readonly RecordedTraffic[]): RecordedTraffic {
  const first = captures[0] as RecordedTraffic;
  return { captures: first.captures, flowLogs: first.flowLogs, addresses: joinAddresses(captures.map((c) => c.addresses)) };
}

/** Where the flows of parts of one run had their addresses, added up. */
export function joinAddresses(list: readonly AddressPlacement[]): AddressPlacement {
  const counts = (of: (a: AddressPlacement) => AddressCounts): AddressCounts => ({
    pod: sum(list, (a) => of(a).pod), service: sum(list, (a) => of(a).service), node: sum(list, (a) => of(a).node), external: sum(list, (a) => of(a).external),
  });
  return { sources: counts((a) => a.sources), destinations: counts((a) => a.destinations), postDnat: sum(list, (a) => a.postDnat), undone: sum(list, (a) => a.undone) };
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
