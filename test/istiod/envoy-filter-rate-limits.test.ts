import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRateLimits } from '../../src/istiod/envoy-filter-rate-limits.js';
import { resolveMesh } from '../../src/istiod/resolve-mesh.js';
import { loadManifests } from '../../src/load/manifests/load-manifests.js';
import { LocalRateLimiter } from '../../src/sim/rate-limit/local-rate-limiter.js';
import { ambientNamespace, cluster, namespace, pod, waypoint } from '../support/builders.js';

const ROOT = resolve(__dirname, '../..');
const SEED = readFileSync(resolve(ROOT, 'test/fixtures/articles/b21-rate-limit-filter.yaml'), 'utf8');

/** A local_ratelimit EnvoyFilter in `ns`, with the given spec head (targetRefs or selector) and match. */
function filter(ns: string, head: string, match = 'context: SIDECAR_INBOUND', operation = 'INSERT_BEFORE', name = 'limit'): string {
  return `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: ${name}, namespace: ${ns} }
spec:
${head}  configPatches:
  - applyTo: HTTP_FILTER
    match: { ${match} }
    patch:
      operation: ${operation}
      value:
        name: envoy.filters.http.local_ratelimit
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
          stat_prefix: s
          token_bucket: { max_tokens: 3, tokens_per_fill: 1, fill_interval: 1s }
          filter_enabled: { default_value: { numerator: 100 } }
          filter_enforced: { default_value: { numerator: 100 } }
`;
}

/** The demo-sized world: ambient `shop` with waypoints `w` and `x`, sidecar workloads in `legacy`. */
function world(...filters: string[]) {
  const base = cluster([
    ambientNamespace('shop'), namespace('legacy'), waypoint('shop/w'), waypoint('shop/x'),
    pod('shop/app-0', '10.0.1.5', { labels: { app: 'app' } }),
    pod('legacy/api-0', '10.0.3.5', { labels: { app: 'api' }, annotations: { 'sidecar.istio.io/status': '{}' } }),
    pod('legacy/web-0', '10.0.3.6', { labels: { app: 'web' }, annotations: { 'sidecar.istio.io/status': '{}' } }),
  ]);
  const loaded = loadManifests(filters.map((text, i) => ({ file: `ef-${i}.yaml`, text })));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = { ...base, envoyFilters: loaded.cluster.envoyFilters ?? [] };
  return compileRateLimits(c, resolveMesh(c));
}
const proxies = (r: ReturnType<typeof world>) => r.limits.map((l) => `${l.proxyKind} ${l.proxy.namespace}/${l.proxy.name} ${l.listeners.join('+')}`);
const GATEWAY_W = '  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: w }]\n';

describe('where a local_ratelimit EnvoyFilter applies in ambient mode (pilot/pkg/model/policyattachment.go ShouldAttachPolicy)', () => {
  it('a targetRef to a waypoint Gateway patches that waypoint\'s HTTP connection managers, as TestWaypointEnvoyFilter does (tests/integration/ambient/baseline_test.go)', () => {
    expect(proxies(world(filter('shop', GATEWAY_W)))).toEqual(['waypoint shop/w main_internal+connect_terminate']);
  });

  it('a Gateway targetRef naming another namespace attaches nothing, one naming its own does ("references a different namespace (which is unsupported; it will never match anything)")', () => {
    // The loader refuses any targetRefs[].namespace, as the CRD does; a Cluster built in code can still carry one.
    const loaded = loadManifests([{ file: 'ef.yaml', text: filter('shop', GATEWAY_W) }]).cluster.envoyFilters ?? [];
    const base = cluster([ambientNamespace('shop'), namespace('legacy'), waypoint('shop/w')]);
    const withRefNamespace = (ns: string) => {
      const c = { ...base, envoyFilters: loaded.map((ef) => ({ ...ef, targetRefs: (ef.targetRefs ?? []).map((r) => ({ ...r, namespace: ns })) })) };
      return compileRateLimits(c, resolveMesh(c)).limits.map((l) => `${l.proxy.namespace}/${l.proxy.name}`);
    };
    expect(withRefNamespace('legacy')).toEqual([]);
    expect(withRefNamespace('shop')).toEqual(['shop/w']);
  });

  it('the GatewayClass istio-waypoint from the root namespace patches every waypoint', () => {
    const r = world(filter('istio-system', '  targetRefs: [{ kind: GatewayClass, group: gateway.networking.k8s.io, name: istio-waypoint }]\n'));
    expect(proxies(r)).toEqual(['waypoint shop/w main_internal+connect_terminate', 'waypoint shop/x main_internal+connect_terminate']);
  });

  it('waypoints never take a filter by workloadSelector or without targetRefs; the seed article\'s filter reaches no waypoint and no ambient pod', () => {
    const seed = SEED.replace('namespace: production', 'namespace: shop');
    const r = world(seed, filter('shop', '  workloadSelector: { labels: { gateway.networking.k8s.io/gateway-name: w } }\n', undefined, undefined, 'by-label'));
    expect(r.limits).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['envoy-filter-applies-nowhere', 7], ['envoy-filter-applies-nowhere', 8]]);
    expect(r.diagnostics[1]!.message).toContain('waypoints take EnvoyFilters only through targetRefs, ztunnel is not Envoy');
  });

  it('a Service targetRef attaches nothing: EnvoyFilters are matched without services (push_context.go getMatchedEnvoyFilters)', () => {
    expect(world(filter('shop', '  targetRefs: [{ kind: Service, group: "", name: app }]\n')).limits).toEqual([]);
  });

  it.each([
    ['SIDECAR_OUTBOUND', 'context: SIDECAR_OUTBOUND'],
    ['GATEWAY', 'context: GATEWAY'],
    ['WAYPOINT (no listener is patched in that context)', 'context: WAYPOINT'],
  ])('a %s patch does not reach the waypoint (listener_builder.go patchListeners)', (_, match) => {
    expect(world(filter('shop', GATEWAY_W, match)).limits).toEqual([]);
  });

  it('a portNumber matches only connect_terminate on 15008: main_internal has no socket address (listener_patch.go listenerMatch)', () => {
    expect(proxies(world(filter('shop', GATEWAY_W, 'context: ANY, listener: { portNumber: 15008 }')))).toEqual(['waypoint shop/w connect_terminate']);
    expect(world(filter('shop', GATEWAY_W, 'context: ANY, listener: { portNumber: 8080 }')).limits).toEqual([]);
  });

  it('sidecar workloads take namespace filters by selector, SIDECAR_INBOUND on their inbound listeners', () => {
    expect(proxies(world(filter('legacy', '')))).toEqual(['sidecar legacy/api-0 sidecar_inbound', 'sidecar legacy/web-0 sidecar_inbound']);
    expect(proxies(world(filter('legacy', '  workloadSelector: { labels: { app: web } }\n')))).toEqual(['sidecar legacy/web-0 sidecar_inbound']);
    expect(proxies(world(filter('legacy', '  workloadSelector: { labels: { app: web } }\n', 'context: ANY')))).toEqual(['sidecar legacy/web-0 sidecar_inbound+sidecar_outbound']);
  });

  it('ADD appends after the router, which Envoy refuses, so it is reported and not simulated (listener_patch.go patchHTTPFilters)', () => {
    const r = world(filter('shop', GATEWAY_W, 'context: SIDECAR_INBOUND', 'ADD'));
    expect(r.limits).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'envoy-filter-rate-limit-unmodelled', file: 'ef-0.yaml', line: 7, message: expect.stringContaining('terminal filter is not last') });
  });
});

describe('the seed article\'s rate limit, end to end (b21-rate-limit-filter.yaml: 100 tokens, 100 per 60 s)', () => {
  it('on sidecar workloads of its namespace: the 101st request in a burst gets 429, and a token returns after 0.6 s', () => {
    const seed = SEED.replace('namespace: production', 'namespace: legacy');
    const r = world(seed);
    expect(proxies(r)).toEqual(['sidecar legacy/api-0 sidecar_inbound', 'sidecar legacy/web-0 sidecar_inbound']);
    const limiter = new LocalRateLimiter(r.limits[0]!.config, { createdAt: 0 });
    const outcomes = Array.from({ length: 101 }, () => limiter.admit(30).outcome);
    expect(outcomes.filter((o) => o === 'allowed')).toHaveLength(100);
    expect(limiter.admit(30)).toMatchObject({ outcome: 'rate-limited', status: 429, bucket: { tokensBefore: 0, nextTokenAt: 30.6 } });
    expect(limiter.admit(30.61).outcome).toBe('allowed');
  });
});
