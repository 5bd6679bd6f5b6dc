import { describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../../src/files.js';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';
import type { Cluster } from '../../../src/model/cluster.js';
import type { Flow } from '../../../src/model/flow.js';
import type { FlowResult } from '../../../src/model/result.js';
import { stepText } from '../../../src/report/reason-text.js';
import { simulateTimeline } from '../../../src/sim/timeline/simulate-timeline.js';

// Upstream: envoy.filters.http.local_ratelimit (envoyproxy/envoy local_ratelimit.cc Filter::decodeHeaders:
// no token and enforced -> local reply 429); a waypoint takes an EnvoyFilter through targetRefs, its
// listeners patched in the SIDECAR_INBOUND context (istio/istio tests/integration/ambient baseline_test.go
// TestWaypointEnvoyFilter); INSERT_BEFORE without a subFilter goes first in the HTTP filters
// (pilot/pkg/networking/core/envoyfilter/listener_patch.go patchHTTPFilter).
const demo = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;

/** The demo with the seed articles' rate-limit EnvoyFilter bound to the payments waypoint by targetRefs. */
function withLimit(maxTokens: number, tokensPerFill: number, fill: string, beforeRouter = false): Cluster {
  const sub = beforeRouter ? '\n            subFilter: { name: envoy.filters.http.router }' : '';
  const yaml = `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: payments-rate-limit, namespace: fintech-core }
spec:
  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: payments-waypoint }]
  configPatches:
    - applyTo: HTTP_FILTER
      match:
        context: SIDECAR_INBOUND
        listener:
          filterChain:
            filter:
              name: envoy.filters.network.http_connection_manager${sub ? sub.replace(/\n {12}/, '\n              ') : ''}
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.http.local_ratelimit
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            stat_prefix: rate_limit
            token_bucket: { max_tokens: ${maxTokens}, tokens_per_fill: ${tokensPerFill}, fill_interval: ${fill} }
            filter_enabled: { runtime_key: rate_limit_enabled, default_value: { numerator: 100, denominator: HUNDRED } }
            filter_enforced: { runtime_key: rate_limit_enforced, default_value: { numerator: 100, denominator: HUNDRED } }
`;
  const loaded = loadManifests([{ file: 'rate-limit.yaml', text: yaml }]);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const [ef] = loaded.cluster.envoyFilters ?? [];
  expect(ef?.configPatches[0]?.listener?.subFilterName).toBe(beforeRouter ? 'envoy.filters.http.router' : undefined);
  return { ...demo, envoyFilters: [...(demo.envoyFilters ?? []), ...(loaded.cluster.envoyFilters ?? [])] };
}
const pays = (id: string, time: number, extra: Partial<Flow> = {}): Flow => ({
  id, source: { workload: 'orders/checkout-service' }, destination: { service: 'fintech-core/payment-processor', port: 80 }, protocol: 'http',
  http: { method: 'POST', path: '/api/v1/payments', headers: {} }, time, ...extra,
});
const run = (cluster: Cluster, flows: Flow[]) => simulateTimeline(cluster, flows, { entries: [], settings: { pushDelay: 0 } });
const byId = (results: readonly FlowResult[]) => Object.fromEntries(results.map((r) => [r.id, r]));

describe('simulateTimeline(): local rate limits at a waypoint (EnvoyFilter envoy.filters.http.local_ratelimit)', () => {
  it('keeps one bucket per filter chain: each Service port behind the waypoint has its own (istio/istio listener_waypoint.go buildWaypointInternal: a chain, and so a FilterConfig, per service port)', () => {
    const limited = withLimit(1, 1, '3600s');
    // refund-service behind the payments waypoint too: two Services, two filter chains.
    const cluster: Cluster = {
      ...limited,
      services: limited.services.map((svc) => (svc.meta.ref.name === 'refund-service' ? { ...svc, meta: { ...svc.meta, labels: { ...svc.meta.labels, 'istio.io/use-waypoint': 'payments-waypoint' } } } : svc)),
    };
    const refunds = (id: string, time: number): Flow => pays(id, time, { destination: { service: 'fintech-core/refund-service', port: 80 }, http: { method: 'GET', path: '/refunds', headers: {} } });
    const r = byId(run(cluster, [pays('p1', 1), refunds('r1', 2), pays('p2', 3), refunds('r2', 4)]).results);
    // Each chain's first request finds its token; each chain's second finds its own bucket empty.
    expect(r['p2']?.reason).toBe('rate-limited');
    expect(r['r1']?.steps.some((s) => s.at === 'waypoint fintech-core/payments-waypoint')).toBe(true);
    expect(r['r1']?.reason).not.toBe('rate-limited');
    expect(r['r2']?.reason).toBe('rate-limited');
  });

  it('runs filters inserted at the beginning in reverse order of application: each is inserted before the others (listener_patch.go patchHTTPFilter, INSERT_BEFORE without a subFilter)', () => {
    const one = withLimit(1, 1, '3600s');
    const [ef] = (one.envoyFilters ?? []).filter((e) => e.meta.ref.name === 'payments-rate-limit');
    if (ef === undefined) throw new Error('the limit did not load');
    // Two copies, applied by name (same priority and namespace, no creation time): a-limit, then b-limit.
    const named = (name: string) => ({ ...ef, meta: { ...ef.meta, ref: { ...ef.meta.ref, name } } });
    const cluster: Cluster = { ...one, envoyFilters: [...(demo.envoyFilters ?? []), named('a-limit'), named('b-limit')] };
    const r = byId(run(cluster, [pays('first', 1), pays('second', 2)]).results);
    expect(r['first']?.reason).not.toBe('rate-limited');
    // Both buckets are empty now; b-limit, applied last, is first in the chain and refuses.
    expect(r['second']).toMatchObject({ reason: 'rate-limited', policy: 'fintech-core/b-limit' });
  });

  it('answers 429 rate-limited once the bucket is empty, with the bucket state, and again after it refilled', () => {
    const r = byId(run(withLimit(2, 1, '10s'), [pays('a', 0), pays('b', 1), pays('c', 2), pays('d', 12)]).results);
    expect(['a', 'b', 'd'].map((id) => r[id]?.verdict)).toEqual(['allow', 'allow', 'allow']);
    expect(r['c']).toMatchObject({ verdict: 'deny', reason: 'rate-limited', decidedBy: { component: 'waypoint', name: 'fintech-core/payments-waypoint' }, policy: 'fintech-core/payments-rate-limit', encrypted: true });
    expect(r['c']?.hops.map((h) => h.to)).toEqual(['fintech-core/payments-waypoint']);
    const step = r['c']?.steps.at(-1);
    expect(step).toMatchObject({ at: 'waypoint fintech-core/payments-waypoint', code: 'rate-limited', effect: 'deny' });
    expect(step?.detail).toMatchObject({ status: 429, maxTokens: 2, tokensPerFill: 1, fillInterval: 10, nextTokenAt: 10 });
    expect(step?.detail?.['tokensBefore']).toBeCloseTo(0.2);
    expect(stepText(step!)).toContain('rejected with 429 by the local rate limit of EnvoyFilter fintech-core/payments-rate-limit');
  });

  it('feeds requests in time order, not input order', () => {
    const r = byId(run(withLimit(1, 1, '60s'), [pays('late', 5), pays('early', 1)]).results);
    expect([r['early']?.verdict, r['late']?.reason]).toEqual(['allow', 'rate-limited']);
  });

  it('counts requests the waypoint denies when the filter is first in the chain, and not when it sits before the router (after authorization)', () => {
    const denied = pays('denied', 0, { http: { method: 'DELETE', path: '/admin', headers: {} } });
    const first = byId(run(withLimit(1, 1, '60s'), [denied, pays('next', 1)]).results);
    expect(first['denied']?.decidedBy.component).toBe('waypoint');
    expect(first['next']?.reason).toBe('rate-limited');
    const afterAuthz = byId(run(withLimit(1, 1, '60s', true), [denied, pays('next', 1), pays('third', 2)]).results);
    expect(afterAuthz['denied']?.reason).not.toBe('rate-limited');
    expect([afterAuthz['next']?.verdict, afterAuthz['third']?.reason]).toEqual(['allow', 'rate-limited']);
  });

  it('leaves TCP flows and traffic that does not pass the waypoint alone, and a cluster without EnvoyFilters unchanged', () => {
    const cluster = withLimit(1, 1, '60s');
    const r = byId(run(cluster, [pays('one', 0), pays('tcp', 1, { protocol: 'tcp', http: undefined }), pays('two', 2)]).results);
    // The bucket is empty from 0 to 60 s: the TCP connection at 1 s would be refused if it were fed to it.
    expect([r['one']?.verdict, r['two']?.reason]).toEqual(['allow', 'rate-limited']);
    expect(r['tcp']?.reason).not.toBe('rate-limited');
    expect(run(demo, [pays('one', 0), pays('two', 0)]).results.map((x) => x.verdict)).toEqual(['allow', 'allow']);
  });
});
