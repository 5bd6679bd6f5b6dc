/**
 * Engine benchmark: resolve and compile a generated cluster (10,000 pods, 1,000 services, 2,000
 * policies), then evaluate 1,000,000 flows through the simulator on one core. Prints figures.
 */
import { prepareMesh } from '../src/index.js';
import { Simulator } from '../src/sim/simulator.js';
import { BENCH_SIZE, syntheticCluster, syntheticFlows } from './synthetic-cluster.js';

const FLOWS = Number(process.env['BENCH_FLOWS'] ?? 1_000_000);
let peakRss = 0;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);

const t0 = performance.now();
const cluster = syntheticCluster(BENCH_SIZE);
const t1 = performance.now();
const index = prepareMesh(cluster);
const t2 = performance.now();
const flows = syntheticFlows(FLOWS);
const t3 = performance.now();
const sim = new Simulator(index);
let denied = 0;
for (let i = 0; i < flows.length; i++) {
  if (sim.processFlow(flows[i]!).result.verdict === 'deny') denied++;
  if ((i & 0xffff) === 0) sample();
}
const t4 = performance.now();
sample();
clearInterval(timer);

const seconds = (t4 - t3) / 1000;
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`cluster: ${cluster.pods.length} pods, ${cluster.services.length} services, ${cluster.authorizationPolicies.length} policies, ${cluster.nodes.length} nodes`);
console.log(`generate cluster: ${(t1 - t0).toFixed(0)} ms; resolve + compile: ${(t2 - t1).toFixed(0)} ms; generate flows: ${(t3 - t2).toFixed(0)} ms`);
console.log(`evaluated ${flows.length.toLocaleString('en')} flows in ${seconds.toFixed(2)} s: ${Math.round(flows.length / seconds).toLocaleString('en')} flows/s (${denied.toLocaleString('en')} denied)`);
console.log(`peak RSS: ${mb(peakRss)}; heap used now: ${mb(process.memoryUsage().heapUsed)}`);
