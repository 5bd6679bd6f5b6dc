/**
 * Ingest benchmark: generates a capture of at least 200 MB (BENCH_CAPTURE_MB overrides) with many
 * HTTP/1.1 connections over the benchmark cluster, then measures, each phase in its own process so
 * that peak memory is its own: the floor (a plain loop reading the same bytes in the same chunks);
 * reading packets; reading and flow extraction; the whole replay (read, flows, verdicts); and tshark
 * on the same file when it is installed. Each phase runs BENCH_RUNS times (default 3) and its fastest
 * run is printed, with CPU seconds next to wall seconds (the machine may be shared), peak RSS (the
 * highest of the runs) next to the peak before the first chunk was read (the runtime, and for the
 * replay the prepared mesh), and its time as a multiple of the floor's. The replay's CPU less the
 * flow extraction's is printed as the verdicts' share, per flow. Prints figures; asserts nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileChunks } from '../src/files/recordings.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareMesh } from '../src/index.js';
import { CaptureFlowExtractor } from '../src/load/capture/capture-flows.js';
import { CaptureReader } from '../src/load/capture/capture-reader.js';
import { listensAt } from '../src/dataplane/captured-addresses.js';
import { Simulator } from '../src/sim/simulator.js';
import { syntheticCluster } from './synthetic-cluster.js';
import { writeSyntheticCapture } from './synthetic-capture.js';
import { CLI, build, workDir } from './support/bench-env.js';
import { clusterManifests, writeManifests } from './support/cluster-manifests.js';
import { describeFailure, runChild, type ChildOutcome } from './support/run-child.js';

const MB = 1e6;
const TARGET = Number(process.env['BENCH_CAPTURE_MB'] ?? 200) * MB;
const FILE = join(tmpdir(), `ambient-bench-ingest-${TARGET / MB}MB.pcap`);
type Phase = 'floor' | 'read' | 'flows' | 'replay';
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));

interface Figures { seconds: number; cpu: number; bytes: number; packets: number; flows: number; denied: number; peak: number; ready: number }

async function runPhase(phase: Phase): Promise<void> {
  const index = phase === 'replay' ? prepareMesh(syntheticCluster()) : undefined;
  const sim = index ? new Simulator(index) : undefined;
  let flows = 0;
  let denied = 0;
  const extractor = phase === 'read' || phase === 'floor' ? undefined : new CaptureFlowExtractor({ name: 'bench', ...(index ? { isServer: listensAt(index) } : {}) }, (f) => {
    flows++;
    // The verdict path, as a replay that reports counts decides; explanations are built only for results that are shown.
    if (sim && sim.decide(f).verdict === 'deny') denied++;
  });
  const reader = phase === 'floor' ? undefined : new CaptureReader(extractor ? (p) => extractor.packet(p) : () => {});
  let bytes = 0;
  let checksum = 0;
  const ready = process.resourceUsage().maxRSS * 1024;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const chunk of fileChunks(FILE)) {
    if (reader) reader.push(chunk);
    else {
      bytes += chunk.length;
      checksum ^= chunk[chunk.length - 1] as number;
    }
  }
  reader?.finish();
  extractor?.finish();
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  const peak = process.resourceUsage().maxRSS * 1024;
  const figures: Figures & { checksum: number } = { seconds, cpu: (used.user + used.system) / 1e6, bytes: reader?.stats.bytes ?? bytes, packets: reader?.stats.packets ?? 0, flows, denied, peak, ready, checksum };
  process.stdout.write(JSON.stringify(figures));
}

function child(phase: Phase): Figures {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), phase], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`phase ${phase} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Figures;
}

/** The fastest of RUNS runs of a phase, with the highest peak RSS any of them reached, and the least CPU any of them took. */
function best(phase: Phase): Figures {
  const runs = Array.from({ length: RUNS }, () => child(phase));
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...fastest, cpu: Math.min(...runs.map((r) => r.cpu)), peak: Math.max(...runs.map((r) => r.peak)), ready: Math.max(...runs.map((r) => r.ready)) };
}

const rate = (n: number): string => Math.round(n).toLocaleString('en');

/**
 * The CLI's whole replay (`simulate --trace FILE -o jsonl`: flows decided and every result written with
 * its explanation) with one job and with two, checked to write the same bytes.
 */
async function cliJobs(packets: number): Promise<void> {
  build();
  const clusterFile = join(workDir('ingest'), 'cluster.json');
  writeManifests(clusterFile, clusterManifests(syntheticCluster()));
  const runs: ChildOutcome[] = [];
  for (const jobs of ['1', '2']) {
    const r = await runChild({ label: `simulate --trace --jobs ${jobs}`, args: [CLI, 'simulate', '-f', clusterFile, '--trace', FILE, '-o', 'jsonl', '--jobs', jobs], timeoutSeconds: 600, digest: true });
    if (!r.ok) {
      console.log(`FAILED: ${describeFailure(r, 600)}`);
      process.exitCode = 1;
      return;
    }
    console.log(`cli --jobs ${jobs}  ${r.seconds.toFixed(3)} s (cpu ${(r.cpuSeconds ?? NaN).toFixed(3)} s)  ${rate(packets / r.seconds)} packets/s  peak RSS ${((r.peakRss ?? NaN) / 1024 / 1024).toFixed(0)} MB  ${(r.stdoutBytes / MB).toFixed(0)} MB of results`);
    runs.push(r);
  }
  const [one, two] = runs as [ChildOutcome, ChildOutcome];
  if (one.stdoutDigest !== two.stdoutDigest) {
    console.log('FAILED: --jobs 2 wrote other output than --jobs 1');
    process.exitCode = 1;
  } else console.log(`cli --jobs 2 is ${(one.seconds / two.seconds).toFixed(2)}× the speed of --jobs 1, output identical`);
}

async function main(): Promise<void> {
  if (!existsSync(FILE) || statSync(FILE).size < TARGET) {
    const t = performance.now();
    const g = writeSyntheticCapture(FILE, TARGET);
    console.log(`generated ${FILE}: ${(g.bytes / MB).toFixed(0)} MB, ${g.packets.toLocaleString('en')} packets, ${g.connections.toLocaleString('en')} connections, ${g.requests.toLocaleString('en')} requests in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`using ${FILE} (${(statSync(FILE).size / MB).toFixed(0)} MB)`);
  console.log(`best of ${RUNS} runs per phase, each in its own process; packets/s and MB/s from wall time; ×floor = wall time over the floor's; cpu the least of the runs`);
  const phases = ['floor', 'read', 'flows', 'replay'] as const;
  const figures = new Map(phases.map((phase) => [phase, best(phase)] as const));
  const floor = figures.get('floor') as Figures;
  const packets = (figures.get('read') as Figures).packets;
  for (const phase of phases) {
    const r = figures.get(phase) as Figures;
    const counted = phase === 'floor' ? ' (the packets the others read)' : '';
    const made = phase === 'flows' || phase === 'replay' ? `  ${r.flows.toLocaleString('en')} flows` : '';
    console.log(`${phase.padEnd(7)} ${r.seconds.toFixed(3)} s (cpu ${r.cpu.toFixed(3)} s)  ${(r.bytes / MB / r.seconds).toFixed(0)} MB/s  ${rate(packets / r.seconds)} packets/s${counted}  peak RSS ${(r.peak / 1024 / 1024).toFixed(0)} MB (${(r.ready / 1024 / 1024).toFixed(0)} MB before reading)  ${(r.seconds / floor.seconds).toFixed(2)}× floor${made}${phase === 'replay' ? ` (${r.denied.toLocaleString('en')} denied)` : ''}`);
  }
  const replay = figures.get('replay') as Figures;
  const verdicts = replay.cpu - (figures.get('flows') as Figures).cpu;
  console.log(`verdicts ${verdicts.toFixed(3)} s cpu (replay less flows)  ${(verdicts / replay.flows * 1e6).toFixed(1)} µs per flow  ${rate(packets / verdicts)} packets/s if reading and flows cost nothing`);
  await cliJobs(packets);
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
  } catch {
    console.log('tshark  not installed; skipped');
    return;
  }
  for (const [what, args] of [
    ['reading (-q, no dissection)', ['-n', '-r', FILE, '-q']],
    ['dissecting HTTP (-T fields -e http.request.uri)', ['-n', '-r', FILE, '-T', 'fields', '-e', 'http.request.uri']],
  ] as const) {
    const t = performance.now();
    spawnSync('tshark', args, { stdio: 'ignore' });
    console.log(`tshark  ${((performance.now() - t) / 1000).toFixed(2)} s  ${what}`);
  }
}

const phase = process.argv[2] as Phase | undefined;
if (phase) await runPhase(phase);
else await main();
