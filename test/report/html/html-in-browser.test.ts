import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareMesh, simulateFlows } from '../../../src/index.js';
import { loadManifestFiles, readFlowsFile } from '../../../src/files.js';
import { trafficGraph } from '../../../src/report/graph/graph-builder.js';
import { graphDirectory } from '../../../src/report/graph/graph-directory.js';
import type { TrafficGraph } from '../../../src/report/graph/traffic-graph.js';
import { hasBrowser, launchChromium, MISSING_BROWSER, skipWithoutBrowser } from '../../support/browser.js';
import { countColour, decodePng, distinctColours } from '../../support/png.js';
import { ROOT, runCli } from '../../cli/run-cli.js';

/**
 * The HTML reports of the built CLI, opened from disk in headless Chromium (Debian's, driven by
 * playwright-core): one browser and one page for the file, each report loaded in turn.
 */
const DEMO = join(ROOT, 'scenarios/demo');
const STORY = join(ROOT, 'scenarios/waypoint-breaks-l4-policy');
const HOSTILE_ID = '</script><script>window.pwned = 1</script>\u2028<!--';

let temp: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Writes `-o html` of a CLI run to a file and returns its path. */
function report(name: string, args: string[]): string {
  const r = runCli([...args, '-o', 'html']);
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  const file = join(temp, `${name}.html`);
  writeFileSync(file, r.stdout);
  return file;
}

async function open(file: string): Promise<void> {
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('#flows .spacer .row');
}

const attribute = (selector: string, name: string) => page.$$eval(selector, (els, n) => els.map((e) => e.getAttribute(n) ?? ''), name);

describe.skipIf(skipWithoutBrowser)('the browser', () => {
  // In CI a missing browser is a failed test, not a skipped one.
  it('is installed where the browser tests look for it', () => {
    expect(hasBrowser(), MISSING_BROWSER).toBe(true);
  });
});

describe.skipIf(skipWithoutBrowser)('the HTML report in Chromium', () => {
  let files: Record<'simulate' | 'hostile' | 'diff' | 'check', string>;
  let model: TrafficGraph;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'ambient-bench-html-'));
    const flows = join(DEMO, 'flows.yaml');
    const hostile = join(temp, 'hostile.yaml');
    writeFileSync(hostile, JSON.stringify([{ id: HOSTILE_ID, source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 80 } }]));
    const story = join(temp, 'story');
    cpSync(STORY, story, { recursive: true });
    // One expectation that fails, so the report has a counterexample to show.
    writeFileSync(join(story, 'scenario.yaml'), `${readFileSync(join(STORY, 'scenario.yaml'), 'utf8')}  - noPlaintextInto: payments\n  - flow: checkout-pays\n    verdict: allow\n`);
    files = {
      simulate: report('simulate', ['simulate', '-f', join(DEMO, 'cluster'), '--flows', flows]),
      hostile: report('hostile', ['simulate', '-f', join(DEMO, 'cluster'), '--flows', hostile]),
      diff: report('diff', ['diff', '-f', `${join(STORY, 'cluster.yaml')},${join(STORY, 'policies.yaml')}`, '--what-if', join(STORY, 'scenario.yaml'), '--flows', join(STORY, 'flows.yaml')]),
      check: report('check', ['check', story]),
    };
    const { cluster } = await loadManifestFiles([join(DEMO, 'cluster')]);
    const read = await readFlowsFile(flows);
    model = trafficGraph(simulateFlows(cluster, read.flows).results, graphDirectory([prepareMesh(cluster).mesh]));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('draws every node and edge of the traffic graph, edges with their verdict and encryption', async () => {
    await open(files.simulate);
    expect((await attribute('g.node', 'data-node')).sort()).toEqual(model.nodes.map((n) => n.id).sort());
    const edges = await page.$$eval('path.edge', (els) => els.map((e) => `${e.getAttribute('data-edge')} ${e.getAttribute('data-verdict')} ${e.getAttribute('data-encryption')}`));
    expect(edges.sort()).toEqual(model.edges.map((e) => `${e.id} ${e.verdict} ${e.encryption}`).sort());
    expect(edges).toContain('workload:frontend/storefront -> service:frontend/admin-console denied mtls');
    expect(await attribute('g.node.waypoint', 'data-node')).toContain('waypoint:fintech-core/payments-waypoint');
    expect(await page.locator('g.namespace', { hasText: 'fintech-core' }).count()).toBe(1);
    expect(await page.locator('g.node text.host', { hasText: 'node-c' }).count()).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it('filters the table by verdict, namespace and search, and by a graph edge', async () => {
    await open(files.simulate);
    const count = () => page.locator('.filters .count').textContent();
    expect(await count()).toBe('14 of 14 flows');
    await page.selectOption('select[data-filter=verdict]', 'deny');
    expect(await count()).toBe('7 of 14 flows');
    await page.selectOption('select[data-filter=encryption]', 'plaintext');
    expect(await count()).toBe('2 of 14 flows');
    await page.selectOption('select[data-filter=encryption]', '');
    await page.fill('input[data-filter=search]', 'admin');
    expect((await page.locator('.spacer .row:visible span:first-child').allTextContents()).sort()).toEqual(['admin-deletes-payment', 'admin-reads-internal', 'storefront-opens-admin']);
    await page.fill('input[data-filter=search]', '');
    await page.selectOption('select[data-filter=verdict]', '');
    await page.selectOption('select[data-filter=namespace]', 'legacy');
    expect(await count()).toBe('3 of 14 flows');
    await page.selectOption('select[data-filter=namespace]', '');
    await page.locator('path.edge[data-edge="workload:frontend/storefront -> service:frontend/admin-console"]').dispatchEvent('click');
    expect(await page.locator('.spacer .row:visible span:first-child').allTextContents()).toEqual(['storefront-opens-admin']);
    expect(await page.locator('path.edge.selected').count()).toBe(1);
  });

  it('explains a flow on click: outcome, hops, steps and the nearest miss', async () => {
    await open(files.simulate);
    await page.fill('input[data-filter=search]', 'checkout-tries-refund');
    await page.locator('.spacer .row:visible').first().click();
    const panel = page.locator('#explanation');
    expect(await panel.getAttribute('data-flow')).toBe('checkout-tries-refund');
    expect(await panel.locator('.verdict').textContent()).toBe('DENY · mTLS');
    expect(await panel.locator('ol.hops li').count()).toBeGreaterThan(0);
    expect(await panel.locator('ol.steps li').count()).toBeGreaterThan(1);
    expect(await panel.locator('.near-miss').first().textContent()).toMatch(/^nearest miss: rule \d+, /);
  });

  it('looks like a report in a screenshot: the page\'s size, not blank, allowed and denied edges in the graph', async () => {
    await open(files.simulate);
    const shot = decodePng(await page.screenshot());
    expect([shot.width, shot.height]).toEqual([1280, 900]);
    expect(distinctColours(shot)).toBeGreaterThan(50);
    const graph = await page.locator('.graph-frame').boundingBox();
    const header = await page.locator('header').boundingBox();
    if (!graph || !header) throw new Error('the graph or the header is not laid out');
    expect(countColour(shot, graph, '#2e7d32')).toBeGreaterThan(100);
    expect(countColour(shot, graph, '#c62828')).toBeGreaterThan(100);
    expect(countColour(shot, header, '#c62828')).toBe(0);
  });

  it('shows a hostile flow id as text: it neither ends the data script nor runs', async () => {
    await open(files.hostile);
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    expect(await page.locator('.spacer .row span').first().textContent()).toBe(HOSTILE_ID.replace('\u2028', '\\u2028'));
    expect(await page.locator('script').count()).toBe(2);
  });

  it('highlights a diff\'s changed edges and lists its change groups; a group filters the table', async () => {
    await open(files.diff);
    const changed = await attribute('path.edge.changed', 'data-edge');
    expect(changed).toEqual(['workload:orders/checkout -> service:payments/api']);
    await page.locator('button.change-group[data-change="allowed-to-denied"]').click();
    expect(await page.locator('.filters .count').textContent()).toMatch(/^1 of \d+ flows$/);
    expect(await page.locator('.spacer .row:visible span:first-child').allTextContents()).toEqual(['checkout-pays']);
  });

  it('lists a check\'s expectations; a counterexample opens its explanation', async () => {
    await open(files.check);
    const failed = page.locator('ul.expectations li.failed');
    expect(await failed.count()).toBe(1);
    expect(await page.locator('ul.expectations li.passed').count()).toBe(4);
    await failed.locator('button.counterexample').first().click();
    expect(await page.locator('#explanation').getAttribute('data-flow')).toBe('checkout-pays');
    expect(await page.locator('#explanation .verdict').textContent()).toBe('DENY · mTLS');
    expect(pageErrors).toEqual([]);
  });
});
