/**
 * Engine benchmark on the benchmark cluster (10,000 pods, 1,000 Services, 2,000 policies), one core:
 * decisions per second on the verdict path with unique flows, next to the evidence evaluator on the
 * same flows, and the floor of reading every flow's fields in the same process. Prints figures.
 */
import { evaluateFlow } from '../src/dataplane/evaluate-flow.js';
import { VerdictPath } from '../src/dataplane/decide.js';
import { prepareMesh } from '../src/index.js';
import type { Flow } from '../src/model/flow.js';
import { Simulator } from '../src/sim/simulator.js';
import { BENCH_SIZE, syntheticCluster, syntheticFlows } from './synthetic-cluster.js';

const FLOWS = Number(process.env['BENCH_FLOWS'] ?? 1_000_000);
const EXPLAINED = Math.min(FLOWS, Number(process.env['BENCH_EXPLAINED'] ?? 100_000));
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;
const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en')}/s`;

function cpuMs<T>(run: () => T): { ms: number; value: T } {
  const start = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, value };
}

const t0 = performance.now();
const cluster = syntheticCluster(BENCH_SIZE);
const index = prepareMesh(cluster);
const t1 = performance.now();
// Through JSON, as a flows file gives them: strings in one piece, as JSON.parse makes them.
const flows = JSON.parse(JSON.stringify(syntheticFlows(FLOWS))) as Flow[];
// A second, disjoint set of flows warms the code up without warming any memo for the measured ones.
const warm = JSON.parse(JSON.stringify(syntheticFlows(50_000, BENCH_SIZE, 99))) as Flow[];
console.log(`cluster: ${cluster.pods.length} pods, ${cluster.services.length} services, ${cluster.authorizationPolicies.length} policies, ${cluster.nodes.length} nodes; resolve + index: ${(t1 - t0).toFixed(0)} ms`);

// The floor: touch the fields every decision reads, in the same process.
const floor = cpuMs(() => {
  let n = 0;
  for (let i = 0; i < flows.length; i++) {
    const f = flows[i] as Flow;
    n += f.id.length + f.destination.port + (f.source.workload ?? f.source.ip ?? '').length + (f.http?.path.length ?? 0);
  }
  return n;
});

const path = new VerdictPath(index);
const compile = cpuMs(() => { for (const f of warm) path.decide(f); });
const heapBefore = process.memoryUsage().heapUsed;
const decided = cpuMs(() => {
  let denied = 0;
  for (let i = 0; i < flows.length; i++) if (path.decide(flows[i] as Flow).verdict === 'deny') denied++;
  return denied;
});
const again = cpuMs(() => { for (let i = 0; i < flows.length; i++) path.decide(flows[i] as Flow); });
const sim = new Simulator(index);
const simulated = cpuMs(() => { for (let i = 0; i < flows.length; i++) sim.decide(flows[i] as Flow); });
const explained = cpuMs(() => {
  let denied = 0;
  for (let i = 0; i < EXPLAINED; i++) if (evaluateFlow(flows[i] as Flow, index).result.verdict === 'deny') denied++;
  return denied;
});

console.log(`floor (read each flow's fields): ${FLOWS.toLocaleString('en')} flows in ${floor.ms.toFixed(0)} ms CPU`);
console.log(`decide, first sight of each flow (${FLOWS.toLocaleString('en')} unique flows, ${decided.value.toLocaleString('en')} denied): ${decided.ms.toFixed(0)} ms CPU, ${rate(FLOWS, decided.ms)} (warm-up on 50,000 other flows: ${compile.ms.toFixed(0)} ms)`);
console.log(`decide, the same flows again: ${again.ms.toFixed(0)} ms CPU, ${rate(FLOWS, again.ms)}`);
console.log(`simulator (decide + component counters): ${simulated.ms.toFixed(0)} ms CPU, ${rate(FLOWS, simulated.ms)}`);
console.log(`evidence evaluator on the first ${EXPLAINED.toLocaleString('en')} flows (${explained.value.toLocaleString('en')} denied): ${rate(EXPLAINED, explained.ms)}; decide is ${((EXPLAINED / explained.ms) ? (FLOWS / decided.ms) / (EXPLAINED / explained.ms) : 0).toFixed(1)}x faster`);
console.log(`heap growth while deciding: ${mb(process.memoryUsage().heapUsed - heapBefore)}; RSS now ${mb(process.memoryUsage().rss)}`);
