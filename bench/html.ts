/**
 * The HTML report of BENCH_FLOWS flows (default 100,000) over the benchmark cluster: its size, and
 * in headless Chromium (Debian's, through playwright-core) the time from opening the file to the
 * first table rows and the time of filters applied one after another (verdict, namespace, search),
 * wall-clock from the test's side and as the page measured its own filtering.
 *
 * Environment: BENCH_FLOWS, BENCH_DIR, BENCH_KEEP=1, AMBIENT_BENCH_CHROMIUM.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_SIZE, syntheticCluster, syntheticFlows } from './synthetic-cluster.js';
import { count, runBenchmark, sizesFrom, workDir } from './support/bench-env.js';
import { graphDirectory, prepareMesh, SimulationHtml, simulate } from '../src/index.js';
import { launchChromium } from '../test/support/browser.js';

const FLOWS = sizesFrom('BENCH_FLOWS', [100_000]).slice(-1)[0] as number;

async function main(): Promise<number> {
  const index = prepareMesh(syntheticCluster(BENCH_SIZE));
  const report = simulate(index, syntheticFlows(FLOWS));
  const started = performance.now();
  const html = new SimulationHtml(graphDirectory([index.mesh]));
  for (const r of report.results) html.add(r);
  const file = join(workDir('html'), 'report.html');
  writeFileSync(file, html.render(report));
  console.log(`rendered ${count(FLOWS)} flows in ${((performance.now() - started) / 1000).toFixed(2)} s: ${(statSync(file).size / 1e6).toFixed(2)} MB`);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const opened = performance.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#flows .spacer .row');
    console.log(`opened to the first rows in ${(performance.now() - opened).toFixed(0)} ms`);
    for (const [what, apply] of [
      ['verdict denied', () => page.selectOption('select[data-filter=verdict]', 'deny')],
      ['namespace', async () => page.selectOption('select[data-filter=namespace]', { index: 1 })],
      ['search', () => page.fill('input[data-filter=search]', '1')],
      ['every filter cleared', async () => { await page.selectOption('select[data-filter=verdict]', ''); await page.selectOption('select[data-filter=namespace]', ''); await page.fill('input[data-filter=search]', ''); }],
    ] as const) {
      const t = performance.now();
      await apply();
      const state = await page.evaluate('window.ambientBench') as { shown: number; filterMilliseconds: number };
      console.log(`${what}: ${count(state.shown)} flows shown, ${(performance.now() - t).toFixed(0)} ms wall, ${state.filterMilliseconds} ms in the page`);
    }
    console.log(`rows in the DOM: ${await page.locator('.spacer .row').count()}`);
  } finally {
    await browser.close();
  }
  return 0;
}

void runBenchmark(main);
