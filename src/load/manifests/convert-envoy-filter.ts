import type { EnvoyFilter, ObjectMeta } from '../../model/cluster.js';
import type {
  EnvoyFilterApplyTo, EnvoyFilterContext, EnvoyFilterListenerMatch, EnvoyFilterOperation, EnvoyFilterPatch,
} from '../../model/envoy-filter.js';
import type { PolicyTargetReference } from '../../model/policy.js';
import type { FieldReader } from './field-reader.js';
import { isLocalRateLimit, readLocalRateLimit } from './local-rate-limit-config.js';

const APPLY_TO: readonly EnvoyFilterApplyTo[] = ['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER', 'ROUTE_CONFIGURATION',
  'VIRTUAL_HOST', 'HTTP_ROUTE', 'CLUSTER', 'EXTENSION_CONFIG', 'BOOTSTRAP', 'LISTENER_FILTER'];
const CONTEXTS: readonly EnvoyFilterContext[] = ['ANY', 'SIDECAR_INBOUND', 'SIDECAR_OUTBOUND', 'GATEWAY', 'WAYPOINT'];
const OPERATIONS: readonly EnvoyFilterOperation[] = ['MERGE', 'ADD', 'REMOVE', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE', 'MERGE_AND_REPLACE_LIST'];
const LISTENER_CLASS: ReadonlySet<string> = new Set(['LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER', 'LISTENER_FILTER']);
export const HCM_FILTER = 'envoy.filters.network.http_connection_manager';

/**
 * `networking.istio.io/v1alpha3` EnvoyFilter, checked as the CRD schema and istiod's webhook check it
 * (istio/istio manifests/charts/base/files/crd-all.gen.yaml, EnvoyFilter; pkg/config/validation/
 * envoyfilter/envoyfilter.go `validateEnvoyFilter`). Problems land in `r` and reject the object;
 * `lineOf` gives the 1-based line of a dotted field path.
 */
export function readEnvoyFilter(r: FieldReader, meta: ObjectMeta, v: Record<string, unknown>, lineOf: (path: string) => number): EnvoyFilter {
  const spec = r.map(v['spec'], 'spec') ?? {};
  r.onlyKnown(spec, ['workloadSelector', 'targetRefs', 'configPatches', 'priority'], 'spec');
  const selector = r.map(spec['workloadSelector'], 'spec.workloadSelector');
  r.onlyKnown(selector, ['labels'], 'spec.workloadSelector');
  const labels = selector ? r.stringMap(selector['labels'], 'spec.workloadSelector.labels') ?? {} : undefined;
  for (const [k, val] of Object.entries(labels ?? {})) {
    if (val.includes('*')) r.missing(`spec.workloadSelector.labels.${k}`, `spec.workloadSelector.labels.${k}: wildcard is not supported in selector`);
  }
  const refs = readTargetRefs(r, spec['targetRefs']);
  // CRD rule: "only one of targetRefs or workloadSelector can be set".
  if (selector && refs) r.missing('spec.targetRefs', 'only one of targetRefs or workloadSelector can be set');
  const priority = r.integer(spec['priority'], 'spec.priority') ?? 0;
  const patches = (r.list(spec['configPatches'], 'spec.configPatches') ?? [])
    .map((p, i) => readPatch(r, p, i, lineOf))
    .filter((p): p is EnvoyFilterPatch => p !== undefined);
  return {
    kind: 'EnvoyFilter', meta, priority, configPatches: patches,
    ...(labels ? { workloadSelector: labels } : {}), ...(refs ? { targetRefs: refs } : {}),
  };
}

/**
 * Why an EnvoyFilter apiVersion cannot be served: its CRD serves `networking.istio.io/v1alpha3` only
 * (crd-all.gen.yaml, EnvoyFilter `versions`), so the API server has no `networking.istio.io/v1` EnvoyFilter.
 */
export function envoyFilterVersionProblem(apiVersion: string): string | undefined {
  if (apiVersion === 'networking.istio.io/v1alpha3') return undefined;
  return `the EnvoyFilter CRD serves only networking.istio.io/v1alpha3, not ${apiVersion}; kubectl apply would fail with "no matches for kind EnvoyFilter in version ${apiVersion}"`;
}

function readTargetRefs(r: FieldReader, value: unknown): PolicyTargetReference[] | undefined {
  const list = r.list(value, 'spec.targetRefs');
  if (!list) return undefined;
  if (list.length > 16) r.missing('spec.targetRefs', 'spec.targetRefs may hold at most 16 references');
  return list.flatMap((item, i) => {
    const path = `spec.targetRefs.${i}`;
    const m = r.map(item, path);
    if (!m) return [];
    r.onlyKnown(m, ['group', 'kind', 'name', 'namespace'], path);
    const kind = r.string(m['kind'], `${path}.kind`);
    const name = r.string(m['name'], `${path}.name`);
    const group = r.string(m['group'], `${path}.group`);
    const namespace = r.string(m['namespace'], `${path}.namespace`);
    if (!kind || !name) r.missing(path, `spec.targetRefs[${i}] needs kind and name`);
    // CRD rule on targetRefs[].namespace: "cross namespace referencing is not currently supported".
    if (namespace) r.missing(`${path}.namespace`, `spec.targetRefs[${i}].namespace: cross namespace referencing is not currently supported`);
    return kind && name ? [{ kind, name, ...(group !== undefined ? { group } : {}) }] : [];
  });
}

function readPatch(r: FieldReader, value: unknown, i: number, lineOf: (path: string) => number): EnvoyFilterPatch | undefined {
  const path = `spec.configPatches.${i}`;
  const at = `spec.configPatches[${i}]`;
  const cp = r.map(value, path);
  // envoyfilter.go: "Envoy filter: null config patch".
  if (!cp) return void r.missing(path, `${at}: Envoy filter: null config patch`);
  const applyTo = enumOf(r, cp['applyTo'], `${path}.applyTo`, APPLY_TO);
  const match = r.map(cp['match'], `${path}.match`) ?? {};
  const context = enumOf(r, match['context'], `${path}.match.context`, CONTEXTS) ?? 'ANY';
  const patch = r.map(cp['patch'], `${path}.patch`);
  // A WAYPOINT-context patch is skipped by the webhook (envoyfilter.go: "TODO(zirain): Add validation for waypoint proxy").
  if (context !== 'WAYPOINT') {
    if (applyTo === undefined) return void r.missing(path, `${at}: Envoy filter: missing applyTo`);
    if (!patch) return void r.missing(path, `${at}: Envoy filter: missing patch`);
  }
  const operation = enumOf(r, patch?.['operation'], `${path}.patch.operation`, OPERATIONS);
  if (context !== 'WAYPOINT' && operation === undefined) return void r.missing(`${path}.patch`, `${at}: Envoy filter: missing patch operation`);
  const patchValue = r.map(patch?.['value'], `${path}.patch.value`);
  if (context !== 'WAYPOINT' && operation !== 'REMOVE' && !patchValue) return void r.missing(`${path}.patch`, `${at}: Envoy filter: missing patch value for non-remove operation`);
  const listener = readListenerMatch(r, match['listener'], `${path}.match.listener`, applyTo);
  if (listener && applyTo !== undefined && !LISTENER_CLASS.has(applyTo)) {
    r.missing(`${path}.match.listener`, `${at}: Envoy filter: applyTo for non-listener objects cannot have a listener match`);
  }
  const filterName = typeof patchValue?.['name'] === 'string' ? patchValue['name'] : undefined;
  const rateLimit = applyTo === 'HTTP_FILTER' && patchValue && isLocalRateLimit(patchValue) ? readLocalRateLimit(patchValue) : undefined;
  return {
    index: i, applyTo: applyTo ?? 'HTTP_FILTER', context, operation: operation ?? 'MERGE', line: lineOf(path),
    proxyMatch: match['proxy'] !== undefined && match['proxy'] !== null,
    ...(listener ? { listener } : {}), ...(filterName !== undefined ? { filterName } : {}), ...(rateLimit ? { rateLimit } : {}),
  };
}

/** `match.listener`, with the webhook's filter and subFilter rules (envoyfilter.go). */
function readListenerMatch(r: FieldReader, value: unknown, path: string, applyTo: EnvoyFilterApplyTo | undefined): EnvoyFilterListenerMatch | undefined {
  const m = r.map(value, path);
  if (!m) return undefined;
  const portNumber = r.integer(m['portNumber'], `${path}.portNumber`);
  if (portNumber !== undefined && !(portNumber > 0 && portNumber <= 65535)) r.missing(`${path}.portNumber`, `${path}.portNumber: port must be between 1-65535`);
  const name = r.string(m['name'], `${path}.name`);
  const chain = r.map(m['filterChain'], `${path}.filterChain`);
  const chainName = chain ? r.string(chain['name'], `${path}.filterChain.name`) : undefined;
  const filter = chain ? r.map(chain['filter'], `${path}.filterChain.filter`) : undefined;
  const filterName = filter ? r.string(filter['name'], `${path}.filterChain.filter.name`) : undefined;
  const sub = filter ? r.map(filter['subFilter'], `${path}.filterChain.filter.subFilter`) : undefined;
  const subFilterName = sub ? r.string(sub['name'], `${path}.filterChain.filter.subFilter.name`) : undefined;
  if (filter && !filterName) r.missing(`${path}.filterChain.filter`, 'Envoy filter: filter match has no name to match on');
  if (sub) {
    if (applyTo !== 'HTTP_FILTER') r.missing(`${path}.filterChain.filter.subFilter`, 'Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only');
    if (filterName !== HCM_FILTER) r.missing(`${path}.filterChain.filter.subFilter`, `Envoy filter: subfilter match requires filter match with ${HCM_FILTER}`);
    if (!subFilterName) r.missing(`${path}.filterChain.filter.subFilter`, 'Envoy filter: subfilter match has no name to match on');
  }
  return {
    ...(portNumber !== undefined ? { portNumber } : {}), ...(name !== undefined ? { name } : {}),
    ...(chainName !== undefined ? { filterChainName: chainName } : {}), ...(filterName !== undefined ? { filterName } : {}),
    ...(subFilterName !== undefined ? { subFilterName } : {}),
  };
}

function enumOf<T extends string>(r: FieldReader, value: unknown, path: string, allowed: readonly T[]): T | undefined {
  const s = r.string(value, path);
  if (s === undefined || s === 'INVALID') return undefined;
  if ((allowed as readonly string[]).includes(s)) return s as T;
  r.missing(path, `${path.replace(/\.(\d+)/g, '[$1]')} must be one of ${allowed.join(', ')}, got "${s}"`);
  return undefined;
}
