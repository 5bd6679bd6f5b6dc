/**
 * Ingest benchmark: generates a capture of at least 200 MB (BENCH_CAPTURE_MB overrides) with many
 * HTTP/1.1 connections over the benchmark cluster, then measures, each phase in its own process so
 * that peak memory is its own: reading alone; reading and flow extraction; the whole replay (read,
 * flows, verdicts); and tshark on the same file when it is installed. Prints figures.
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
import { listensAt } from '../src/core/captured-addresses.js';
import { Simulator } from '../src/sim/simulator.js';
import { syntheticCluster } from './synthetic-cluster.js';
import { writeSyntheticCapture } from './synthetic-capture.js';

const MB = 1e6;
const TARGET = Number(process.env['BENCH_CAPTURE_MB'] ?? 200) * MB;
const FILE = join(tmpdir(), `ambient-bench-ingest-${TARGET / MB}MB.pcap`);
type Phase = 'read' | 'flows' | 'replay';

async function runPhase(phase: Phase): Promise<void> {
  const index = phase === 'replay' ? prepareMesh(syntheticCluster()) : undefined;
  const sim = index ? new Simulator(index) : undefined;
  let flows = 0;
  let denied = 0;
  const extractor = phase === 'read' ? undefined : new CaptureFlowExtractor({ name: 'bench', ...(index ? { isServer: listensAt(index) } : {}) }, (f) => {
    flows++;
    if (sim && sim.processFlow(f).result.verdict === 'deny') denied++;
  });
  let packets = 0;
  const reader = new CaptureReader(extractor ? (p) => extractor.packet(p) : () => { packets++; });
  const t0 = performance.now();
  for await (const chunk of fileChunks(FILE)) reader.push(chunk);
  reader.finish();
  extractor?.finish();
  const seconds = (performance.now() - t0) / 1000;
  const total = reader.stats.packets;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ phase, seconds, bytes: reader.stats.bytes, packets: total, flows, denied, peak }));
}

function child(phase: Phase): { seconds: number; bytes: number; packets: number; flows: number; denied: number; peak: number } {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), phase], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`phase ${phase} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function main(): Promise<void> {
  if (!existsSync(FILE) || statSync(FILE).size < TARGET) {
    const t = performance.now();
    const g = writeSyntheticCapture(FILE, TARGET);
    console.log(`generated ${FILE}: ${(g.bytes / MB).toFixed(0)} MB, ${g.packets.toLocaleString('en')} packets, ${g.connections.toLocaleString('en')} connections, ${g.requests.toLocaleString('en')} requests in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`using ${FILE} (${(statSync(FILE).size / MB).toFixed(0)} MB)`);
  for (const phase of ['read', 'flows', 'replay'] as const) {
    const r = child(phase);
    console.log(`${phase.padEnd(7)} ${r.seconds.toFixed(2)} s  ${(r.bytes / MB / r.seconds).toFixed(0)} MB/s  ${Math.round(r.packets / r.seconds).toLocaleString('en')} packets/s  peak RSS ${(r.peak / 1024 / 1024).toFixed(0)} MB${phase !== 'read' ? `  ${r.flows.toLocaleString('en')} flows` : ''}${phase === 'replay' ? ` (${r.denied.toLocaleString('en')} denied)` : ''}`);
  }
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
