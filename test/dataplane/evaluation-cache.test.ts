import { describe, expect, it } from 'vitest';
import { EvaluationCache } from '../../src/dataplane/evaluation-cache.js';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { prepareMesh } from '../../src/index.js';
import type { Flow } from '../../src/model/flow.js';
import { syntheticCluster, syntheticFlows } from '../../bench/synthetic-cluster.js';

describe('EvaluationCache', () => {
  const size = { namespaces: 6, servicesPerNamespace: 4, podsPerService: 3, policies: 60, nodes: 3 };
  const index = prepareMesh(syntheticCluster(size, 3));
  const base = syntheticFlows(400, size, 5);
  // Every flow again under other ids (repeats hit the cache; service flows may pick other endpoints),
  // and with another path and headers (hits only when no waypoint decides).
  const otherPath = (f: Flow): Flow => (f.http ? { ...f, id: `p${f.id}`, http: { ...f.http, path: `${f.http.path}/other`, headers: { 'x-b': '1', ...f.http.headers } } } : { ...f, id: `p${f.id}` });
  const flows: Flow[] = [...base, ...base.map((f) => ({ ...f, id: `${f.id}-again` })), ...base.map((f) => ({ ...f, id: `x${f.id}` })), ...base.map(otherPath)];

  it('gives exactly what evaluateFlow gives, flow by flow, hits included', () => {
    const cache = new EvaluationCache(index);
    for (const f of flows) expect(cache.evaluate(f)).toEqual(evaluateFlow(f, index));
    expect(cache.hits).toBeGreaterThan(base.length / 2);
  });

  it('steps aside when traffic never repeats, and still answers right', () => {
    const cache = new EvaluationCache(index);
    const unique = Array.from({ length: 40000 }, (_, i) => ({ ...base[i % base.length]!, id: `u${i}`, destination: { ip: `203.0.${(i >> 8) & 255}.${i & 255}`, port: 80 } }));
    for (const f of unique) cache.evaluate(f);
    expect(cache.hits + cache.misses).toBeLessThan(unique.length);
    const probe = unique[39999]!;
    expect(cache.evaluate(probe)).toEqual(evaluateFlow(probe, index));
  });
});
