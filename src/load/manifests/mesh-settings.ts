import { parse } from 'yaml';
import type { MeshConfig } from '../../model/cluster.js';
import { DEFAULT_MESH_CONFIG } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { RawObject } from './parse-documents.js';
import { parserMessage } from '../excerpt.js';

/**
 * Mesh config from the ConfigMap `istio` in `istio-system` (`data.mesh`, itself YAML): trustDomain,
 * trustDomainAliases, rootNamespace, extensionProviders (names and ext_authz kinds). Missing fields keep Istio's defaults.
 */
export function readMeshConfig(raw: RawObject): { meshConfig: MeshConfig; diagnostics: Diagnostic[] } {
  const data = raw.value['data'] as Record<string, unknown> | undefined;
  const text = data?.['mesh'];
  const at = { file: raw.source.file, line: raw.source.line };
  if (typeof text !== 'string') return { meshConfig: { ...DEFAULT_MESH_CONFIG, source: raw.source }, diagnostics: [] };
  let mesh: unknown;
  try {
    mesh = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    return { meshConfig: { ...DEFAULT_MESH_CONFIG, source: raw.source }, diagnostics: [{ severity: 'error', code: 'invalid-mesh-config', object: 'ConfigMap istio-system/istio', ...at, message: `ConfigMap istio-system/istio (${at.file}:${at.line}): data.mesh is not valid YAML (${parserMessage((e as Error).message)}); using Istio's defaults` }] };
  }
  const m = (typeof mesh === 'object' && mesh !== null ? mesh : {}) as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' && v !== '' ? v : d);
  const providers = Array.isArray(m['extensionProviders']) ? m['extensionProviders'] : [];
  return {
    meshConfig: {
      trustDomain: str(m['trustDomain'], DEFAULT_MESH_CONFIG.trustDomain),
      trustDomainAliases: Array.isArray(m['trustDomainAliases']) ? m['trustDomainAliases'].filter((a): a is string => typeof a === 'string') : [],
      rootNamespace: str(m['rootNamespace'], DEFAULT_MESH_CONFIG.rootNamespace),
      extensionProviders: providers.flatMap((p) => (typeof p === 'object' && p !== null && typeof (p as Record<string, unknown>)['name'] === 'string' ? [(p as Record<string, string>)['name'] as string] : [])),
      extAuthzProviders: extAuthzProviders(providers),
      source: raw.source,
    },
    diagnostics: [],
  };
}

/**
 * The ext_authz providers by name (pilot/pkg/security/authz/builder/extauthz.go `processExtensionProvider`):
 * other kinds are skipped, and a name seen twice is an error that leaves the provider unusable, so it is
 * left out. The provider's own settings (service, port) are not checked here.
 */
function extAuthzProviders(providers: readonly unknown[]): Record<string, 'http' | 'grpc'> {
  const out: Record<string, 'http' | 'grpc'> = {};
  const seen = new Set<string>();
  for (const p of providers) {
    if (typeof p !== 'object' || p === null) continue;
    const entry = p as Record<string, unknown>;
    const name = entry['name'];
    if (typeof name !== 'string' || name === '') continue;
    const kind = entry['envoyExtAuthzHttp'] !== undefined ? 'http' : entry['envoyExtAuthzGrpc'] !== undefined ? 'grpc' : null;
    // Only ext_authz entries reach the duplicate check: other kinds are skipped before it.
    if (kind === null) continue;
    if (seen.has(name)) delete out[name];
    else {
      seen.add(name);
      out[name] = kind;
    }
  }
  return out;
}

/** istiod feature flags: the env of the `discovery` container (else the first) of Deployment istio-system/istiod. */
export function readIstiodEnv(raw: RawObject): Record<string, string> {
  const spec = (raw.value['spec'] as Record<string, unknown> | undefined)?.['template'] as Record<string, unknown> | undefined;
  const containers = ((spec?.['spec'] as Record<string, unknown> | undefined)?.['containers'] ?? []) as unknown[];
  const list = Array.isArray(containers) ? containers.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null) : [];
  const container = list.find((c) => c['name'] === 'discovery') ?? list[0];
  const env: Record<string, string> = {};
  const entries = Array.isArray(container?.['env']) ? (container['env'] as unknown[]) : [];
  for (const e of entries) {
    if (typeof e !== 'object' || e === null) continue;
    const { name, value } = e as Record<string, unknown>;
    if (typeof name === 'string' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) env[name] = String(value);
  }
  return env;
}
