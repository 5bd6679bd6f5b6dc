/**
 * Where `simulate -o jsonl` spends its CPU per flow, in one process over the benchmark cluster and
 * BENCH_FLOWS generated flows (default 200,000): deciding alone, deciding and writing each result
 * line (from the route alone, leaving out flows the route does not explain; then with those flows'
 * lines written from their built results), and the
 * whole run from a flows file (reading, deciding, writing). Each pass runs BENCH_REPS times (default
 * 3) on a fresh simulator; the least CPU time of a pass is printed, as the machine is shared.
 *
 * Environment: BENCH_FLOWS, BENCH_REPS, BENCH_DIR, BENCH_KEEP=1.
 */
import { join } from 'node:path';
import { BENCH_SIZE, syntheticCluster, syntheticFlows } from './synthetic-cluster.js';
import { count, runBenchmark, sizesFrom, workDir } from './support/bench-env.js';
import { writeFlowsFile } from './support/flows-file.js';
import { RouteJson } from '../src/dataplane/route-json.js';
import { runSimulation } from '../src/files/run-simulation.js';
import { prepareMesh } from '../src/index.js';
import type { Flow } from '../src/model/flow.js';
import { resultJson } from '../src/report/result-json.js';
import { Simulator } from '../src/sim/simulator.js';

const FLOWS = sizesFrom('BENCH_FLOWS', [200_000]).slice(-1)[0] as number;
const REPS = sizesFrom('BENCH_REPS', [3]).slice(-1)[0] as number;

/** CPU seconds `run` takes. */
function cpu(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** The least CPU seconds of REPS runs. */
async function least(run: () => Promise<number> | number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < REPS; i++) best = Math.min(best, await run());
  return best;
}

const perFlow = (seconds: number): string => `${((seconds / FLOWS) * 1e6).toFixed(2)} µs/flow (${seconds.toFixed(2)} s cpu)`;

async function main(): Promise<number> {
  const index = prepareMesh(syntheticCluster(BENCH_SIZE));
  const flows: Flow[] = syntheticFlows(FLOWS);
  const file = join(workDir('jsonl-render'), 'flows.jsonl');
  writeFlowsFile(file, flows);
  let built = 0;
  let chars = 0;

  const decideOnly = await least(() => cpu(() => {
    const sim = new Simulator(index);
    for (const f of flows) sim.decide(f);
  }));
  const routeLines = await least(() => cpu(() => {
    const sim = new Simulator(index);
    const route = new RouteJson(sim.verdictPath.compiled);
    let text = '';
    for (const f of flows) {
      text += `${route.json(f, sim.verdictPath.route, sim.decide(f)) ?? ''}\n`;
      if (text.length >= 1 << 20) text = '';
    }
  }));
  const withLines = await least(() => cpu(() => {
    const sim = new Simulator(index);
    const route = new RouteJson(sim.verdictPath.compiled);
    built = 0;
    chars = 0;
    let text = '';
    for (const f of flows) {
      const decision = sim.decide(f);
      let line = route.json(f, sim.verdictPath.route, decision);
      if (line === undefined) {
        built++;
        line = resultJson(sim.resultOf(f, sim.lastEvaluation));
      }
      text += `${line}\n`;
      if (text.length >= 1 << 20) (chars += text.length), (text = '');
    }
    chars += text.length;
  }));
  const whole = await least(async () => {
    const start = process.cpuUsage();
    let written = 0;
    for await (const batch of runSimulation(index, { flows: file }).jsonLines) written += batch.text.length;
    if (written !== chars) throw new Error(`the run wrote ${written} characters of lines, the lines pass ${chars}`);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  });

  console.log(`${count(FLOWS)} flows, least of ${REPS} runs each; ${count(built)} lines from built results, the rest from the route; ${count(Math.round(chars / FLOWS))} characters a line`);
  console.log(`  decide                   ${perFlow(decideOnly)}`);
  console.log(`  decide, lines from route ${perFlow(routeLines)}  (the route's lines: ${perFlow(routeLines - decideOnly)}; other flows left out)`);
  console.log(`  decide and write lines   ${perFlow(withLines)}  (lines: ${perFlow(withLines - decideOnly)}; built results: ${perFlow(withLines - routeLines)})`);
  console.log(`  read, decide and write   ${perFlow(whole)}  (reading: ${perFlow(whole - withLines)})`);
  return 0;
}

await runBenchmark(main);
