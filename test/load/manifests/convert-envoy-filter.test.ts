import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';

const ROOT = resolve(__dirname, '../../..');
const load = (text: string) => loadManifests([{ file: 'ef.yaml', text }]);
const errors = (text: string) => load(text).diagnostics.filter((d) => d.severity === 'error');

const header = (apiVersion = 'networking.istio.io/v1alpha3') => `apiVersion: ${apiVersion}
kind: EnvoyFilter
metadata:
  name: limit
  namespace: shop
spec:
`;
const patch = `  configPatches:
  - applyTo: HTTP_FILTER
    match:
      context: SIDECAR_INBOUND
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
    patch:
      operation: INSERT_BEFORE
      value:
        name: envoy.filters.http.local_ratelimit
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
          stat_prefix: http_local_rate_limiter
          token_bucket: { max_tokens: 10, tokens_per_fill: 5, fill_interval: 0.5s }
          filter_enabled: { default_value: { numerator: 50, denominator: HUNDRED } }
          status: { code: 503 }
          response_headers_to_add:
          - append_action: OVERWRITE_IF_EXISTS_OR_ADD
            header: { key: x-local-rate-limit, value: "true" }
`;

describe('EnvoyFilter loads as networking.istio.io/v1alpha3 (istio/istio manifests/charts/base/files/crd-all.gen.yaml)', () => {
  it('reads the patch, its place and its local_ratelimit configuration', () => {
    const r = load(header() + patch);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const [ef] = r.cluster.envoyFilters ?? [];
    expect(ef).toMatchObject({ kind: 'EnvoyFilter', meta: { ref: { kind: 'EnvoyFilter', namespace: 'shop', name: 'limit' } }, priority: 0 });
    expect(ef!.configPatches[0]).toMatchObject({
      index: 0, applyTo: 'HTTP_FILTER', context: 'SIDECAR_INBOUND', operation: 'INSERT_BEFORE', line: 8,
      listener: { filterName: 'envoy.filters.network.http_connection_manager' }, filterName: 'envoy.filters.http.local_ratelimit',
      rateLimit: {
        kind: 'limit', config: {
          statPrefix: 'http_local_rate_limiter', tokenBucket: { maxTokens: 10, tokensPerFill: 5, fillInterval: 0.5 },
          filterEnabled: { numerator: 50, denominator: 100 }, filterEnforced: null, status: 503,
          responseHeaders: [{ key: 'x-local-rate-limit', value: 'true' }], perConnection: false,
        },
      },
    });
    expect(r.cluster.skipped).toEqual([]);
  });

  it.each(['networking.istio.io/v1', 'networking.istio.io/v1beta1'])('rejects %s: the CRD serves EnvoyFilter only as v1alpha3', (v) => {
    expect(errors(header(v) + patch)).toEqual([expect.objectContaining({ code: 'unsupported-api-version', file: 'ef.yaml', line: 1, message: expect.stringContaining('serves only networking.istio.io/v1alpha3') })]);
  });

  it.each([
    ['both targetRefs and workloadSelector (CRD rule)', `  workloadSelector: { labels: { app: a } }\n  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: w }]\n`, 'only one of targetRefs or workloadSelector can be set', 8],
    ['a cross-namespace targetRef (CRD rule)', `  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: w, namespace: other }]\n`, 'cross namespace referencing is not currently supported', 7],
    ['a wildcard selector value (CRD rule)', `  workloadSelector:\n    labels:\n      app: "pay*"\n`, 'wildcard is not supported in selector', 9],
    ['a patch without applyTo (envoyfilter.go)', `  configPatches:\n  - patch: { operation: MERGE, value: {} }\n`, 'Envoy filter: missing applyTo', 8],
    ['a patch without operation (envoyfilter.go)', `  configPatches:\n  - applyTo: CLUSTER\n    patch: { value: {} }\n`, 'Envoy filter: missing patch operation', 9],
    ['an insert without value (envoyfilter.go)', `  configPatches:\n  - applyTo: HTTP_FILTER\n    patch: { operation: INSERT_FIRST }\n`, 'missing patch value for non-remove operation', 9],
    ['a subFilter outside HTTP_FILTER (envoyfilter.go)', `  configPatches:\n  - applyTo: NETWORK_FILTER\n    match: { listener: { filterChain: { filter: { name: envoy.filters.network.http_connection_manager, subFilter: { name: x } } } } }\n    patch: { operation: REMOVE }\n`, 'subfilter match can be used with applyTo HTTP_FILTER only', 9],
    ['an unknown context', `  configPatches:\n  - applyTo: HTTP_FILTER\n    match: { context: SIDECAR }\n    patch: { operation: REMOVE }\n`, 'must be one of ANY, SIDECAR_INBOUND', 9],
  ])('rejects %s, at its line', (_, spec, message, line) => {
    expect(errors(header() + spec)).toContainEqual(expect.objectContaining({ file: 'ef.yaml', line, message: expect.stringContaining(message) }));
    expect(load(header() + spec).cluster.envoyFilters).toEqual([]);
  });

  it('reads the seed article\'s TypedStruct form (test/fixtures/articles/b21-rate-limit-filter.yaml)', () => {
    const text = readFileSync(resolve(ROOT, 'test/fixtures/articles/b21-rate-limit-filter.yaml'), 'utf8');
    const r = loadManifests([{ file: 'b21-rate-limit-filter.yaml', text }]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ef = r.cluster.envoyFilters?.[0];
    expect(ef?.configPatches[0]?.rateLimit).toEqual({
      kind: 'limit', config: {
        statPrefix: 'rate_limit', tokenBucket: { maxTokens: 100, tokensPerFill: 100, fillInterval: 60 },
        filterEnabled: { numerator: 100, denominator: 100 }, filterEnforced: { numerator: 100, denominator: 100 },
        status: 429, responseHeaders: [], perConnection: false,
      },
    });
  });

  it.each([
    ['no token_bucket', 'stat_prefix: s', 'no token_bucket'],
    ['a fill_interval under 50 ms', 'stat_prefix: s\n          token_bucket: { max_tokens: 1, fill_interval: 0.01s }', 'at least 50ms'],
    ['descriptors', 'stat_prefix: s\n          token_bucket: { max_tokens: 1, fill_interval: 1s }\n          descriptors: []', 'descriptors'],
    ['no stat_prefix', 'token_bucket: { max_tokens: 1, fill_interval: 1s }', 'stat_prefix is required'],
  ])('keeps a local_ratelimit filter with %s, marked as not simulated', (_, body, why) => {
    const spec = patch.replace(/stat_prefix: http_local_rate_limiter[\s\S]*$/, `${body}\n`);
    const r = load(header() + spec);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.cluster.envoyFilters?.[0]?.configPatches[0]?.rateLimit).toEqual({ kind: 'unmodelled', why: expect.stringContaining(why) });
  });
});

describe('any EnvoyFilter spec loads without throwing (user input never throws)', () => {
  it('turns arbitrary specs into an EnvoyFilter or diagnostics with a file and line', () => {
    const value = fc.jsonValue({ maxDepth: 4 });
    const spec = fc.record({
      workloadSelector: fc.option(value, { nil: undefined }), targetRefs: fc.option(value, { nil: undefined }),
      configPatches: fc.option(fc.array(fc.record({ applyTo: fc.option(fc.constantFrom('HTTP_FILTER', 'LISTENER', 'X'), { nil: undefined }), match: value, patch: value })), { nil: undefined }),
    });
    fc.assert(fc.property(spec, (s) => {
      const text = JSON.stringify({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'f', namespace: 'ns' }, spec: s });
      const r = loadManifests([{ file: 'f.json', text }]);
      for (const d of r.diagnostics.filter((x) => x.severity === 'error')) expect(d).toMatchObject({ file: 'f.json', line: expect.any(Number) });
      expect((r.cluster.envoyFilters ?? []).length + r.stats.rejected).toBe(1);
    }), { numRuns: 300 });
  });
});
