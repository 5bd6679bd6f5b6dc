import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { applyWhatIf, prepareMesh, simulate, simulateFlows, type Cluster, type Flow } from '../../../src/index.js';
import { findScenarioFiles, readScenario } from '../../../src/files/scenarios.js';
import { IstioMetricsRecorder } from '../../../src/report/metrics/istio-metrics.js';
import { hostileCluster, hostileFlows, hostileNames } from '../escaping-fixtures.js';
import { systemTool } from '../../support/system-tool.js';

const promtool = systemTool('promtool', 'prometheus');

function metricsOf(cluster: Cluster, flows: readonly Flow[]): string {
  const index = prepareMesh(cluster);
  const recorder = new IstioMetricsRecorder(index.mesh, { start: 1_765_000_000 });
  simulate(index, flows, []).results.forEach((r, i) => recorder.add(r, (flows[i] as Flow).time, (flows[i] as Flow).http !== undefined));
  return recorder.render();
}

/** promtool's verdict on metrics text: empty output and status 0 when it accepts them. */
function lint(text: string): string {
  const r = promtool.run(['check', 'metrics'], text);
  return `${r.status} ${r.stdout}${r.stderr}`.trim();
}

describe('promtool check metrics accepts the metrics of every bundled scenario', () => {
  promtool.it('before and after each scenario\'s what-if steps', async () => {
    const { files } = await findScenarioFiles(['scenarios']);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const prepared = await readScenario(file, { root: 'scenarios' });
      expect(prepared.unreadable, file).toBe(false);
      const configurations = [prepared.cluster, ...(prepared.steps.length > 0 ? [applyWhatIf(prepared.cluster, prepared.steps).cluster] : [])];
      for (const cluster of configurations) {
        const text = metricsOf(cluster, prepared.flows);
        expect(text.endsWith('# EOF\n'), file).toBe(true);
        expect(lint(text), file).toBe('0');
      }
    }
  }, 120_000);

  promtool.it('with hostile names in every label value', () => {
    fc.assert(fc.property(hostileNames, (n) => {
      const flows = hostileFlows(n);
      const text = metricsOf(hostileCluster(n, true), flows);
      expect(lint(text)).toBe('0');
      // One line per sample: no name adds a line. The exposition formats escape only backslash, quote
      // and line feed in label values, so other controls (a carriage return, U+2028) stay in the value, raw.
      const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      expect(samples.filter((line) => !/^istio_[a-z_]+\{.*\} \d+ \d+(\.\d+)?$/su.test(line)).map((l) => JSON.stringify(l))).toEqual([]);
      expect(simulateFlows(hostileCluster(n, true), flows).results.length).toBe(flows.length);
    }), { numRuns: 25, seed: 14 });
  }, 120_000);
});
