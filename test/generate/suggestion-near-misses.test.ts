import { describe, expect, it } from 'vitest';
import { draftSuggestion } from '../../src/analysis/suggest/suggest-policies.js';
import { nearMissFlows } from '../../src/generate/suggestion-near-misses.js';
import { prepareMesh } from '../../src/index.js';
import type { Flow } from '../../src/model/flow.js';
import { ambientNamespace, cluster, flow, pod, service, waypoint } from '../support/builders.js';

const c = cluster([
  ambientNamespace('shop'), ambientNamespace('pay', { 'istio.io/use-waypoint': 'waypoint' }), ambientNamespace('ops'),
  pod('shop/web', '10.0.0.1'), pod('pay/api', '10.0.1.1'), pod('ops/probe', '10.0.3.1'),
  service('pay/api', '10.96.1.1'), waypoint('pay/waypoint'),
]);

function misses(flows: readonly Flow[]) {
  const index = prepareMesh(c);
  const work = draftSuggestion(index, flows);
  return nearMissFlows(index, work.sightings, work.suggestion.policies);
}

const key = (f: Flow) => JSON.stringify([f.source, f.destination, f.http?.method, f.http?.path]);

describe('nearMissFlows()', () => {
  it('generates near misses of each kind that no observed flow repeats', () => {
    const observed = [flow('shop/web', 'pay/api:80', { http: { method: 'GET', path: '/orders/1' } })];
    const nearMisses = misses(observed);
    expect(new Set(nearMisses.map((m) => m.kind))).toEqual(new Set(['principal', 'port', 'method', 'path']));
    expect(nearMisses.map((m) => key(m.flow))).not.toContain(key(observed[0] as Flow));
  });

  it('takes a stranger to the destination for the other principal, never the destination itself (a pod calling its own IP is not captured)', () => {
    const principals = misses([flow('shop/web', 'pay/api:80')]).filter((m) => m.kind === 'principal');
    expect(principals.length).toBeGreaterThan(0);
    expect(new Set(principals.map((m) => m.flow.source.workload))).toEqual(new Set(['ops/probe']));
  });

  it('probes the port beside the container port, at the workload', () => {
    const ports = misses([flow('shop/web', 'pay/api:80')]).filter((m) => m.kind === 'port');
    expect(ports.map((m) => m.flow.destination)).toEqual([{ workload: 'pay/api', port: 8079 }]);
  });
});
