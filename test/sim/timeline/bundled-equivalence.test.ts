import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexReportedMesh } from '../../../src/analysis/validate/ztunnel-status.js';
import { applyWhatIf } from '../../../src/analysis/what-if/apply-what-if.js';
import { readScenario } from '../../../src/files/scenarios.js';
import type { FlowResult } from '../../../src/model/result.js';
import type { TimelineEntry } from '../../../src/model/timeline.js';
import { simulate } from '../../../src/sim/simulator.js';
import { simulateTimeline } from '../../../src/sim/timeline/simulate-timeline.js';

const ROOT = resolve(__dirname, '../../../scenarios');
const bundled = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'scenario.yaml'))).sort();
const withoutTime = (results: readonly FlowResult[]) => results.map(({ time: _, ...rest }) => rest);

describe('a timeline without events, or with every event at time 0, changes nothing but local rate limits (every bundled scenario)', () => {
  it.each(bundled)('%s', async (dir) => {
    const prepared = await readScenario(join(ROOT, dir, 'scenario.yaml'), { root: ROOT });
    const none = simulateTimeline(prepared.cluster, prepared.flows, { entries: [], settings: { pushDelay: 0 } });
    // Local rate limits need no event: their buckets are fed by the requests in time order, which only
    // a timeline run does. Every other result is the simulator's.
    const plain = simulate(indexReportedMesh(prepared.cluster), prepared.flows).results;
    const limited = new Set(none.results.flatMap((r, i) => (r.reason === 'rate-limited' ? [i] : [])));
    expect(limited.size > 0).toBe(dir === 'rate-limit-replay');
    expect(withoutTime(none.results.filter((_, i) => !limited.has(i)))).toEqual(plain.filter((_, i) => !limited.has(i)));
    if (prepared.steps.length === 0) return;
    const atZero = prepared.steps.map((step): TimelineEntry => ({ kind: 'configure', at: 0, step, source: step.source }));
    const after = simulate(indexReportedMesh(applyWhatIf(prepared.cluster, prepared.steps).cluster), prepared.flows).results;
    expect(withoutTime(simulateTimeline(prepared.cluster, prepared.flows, { entries: atZero, settings: { pushDelay: 0 } }).results)).toEqual(after);
  });
});
