import type {
  AuthorizationPolicy, Cluster, ClusterObject, ControllerKind, IstiodEnv, MeshConfig, ObjectMeta, PeerAuthentication,
  Pod, RequestAuthentication, SkippedObject,
} from '../../model/cluster.js';
import { DEFAULT_MESH_CONFIG } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { FieldPositions } from '../../model/source.js';
import { assembleCluster, objectKey } from './assemble-cluster.js';
import { FieldReader } from './field-reader.js';
import { readController, readGateway, readGatewayClass, readNode, readPod, readService } from './convert-core.js';
import { readAuthorizationPolicySpec, readPeerAuthenticationSpec, readRequestAuthenticationSpec } from './convert-security.js';
import { envoyFilterVersionProblem, readEnvoyFilter } from './convert-envoy-filter.js';
import { readIstiodEnv, readMeshConfig } from './mesh-settings.js';
import { nameProblems } from './object-names.js';
import { parseDocuments, type RawObject } from './parse-documents.js';

export interface ManifestInput {
  readonly file: string;
  readonly text: string;
  /**
   * The 1-based line of the file where `text` starts (1 when absent): an excerpt, such as an object
   * inline in a scenario, is reported at its place in the file. Its first line is padded to its column.
   */
  readonly firstLine?: number;
}

export interface LoadStats {
  readonly files: number;
  readonly documents: number;
  readonly objects: Readonly<Record<string, number>>;
  readonly skipped: number;
  readonly rejected: number;
  readonly generatedPods: number;
}

export interface LoadedManifests {
  readonly cluster: Cluster;
  readonly diagnostics: Diagnostic[];
  readonly stats: LoadStats;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'GatewayClass']);
const SECURITY = new Set(['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication', 'EnvoyFilter']);

/**
 * Loads manifests (multi-document YAML or JSON, `kind: List`) into a Cluster with provenance. Objects
 * with wrong field types are rejected with diagnostics naming file, line and column; unknown kinds are
 * counted as skipped; controllers without pods are expanded into pods. Pure and never throws.
 */
export function loadManifests(inputs: readonly ManifestInput[], options: { istiodEnv?: IstiodEnv } = {}): LoadedManifests {
  const diagnostics: Diagnostic[] = [];
  const objects: ClusterObject[] = [];
  const skipped: SkippedObject[] = [];
  const seen = new Map<string, Definitions>();
  const rsOwner = new Map<string, string>();
  const podOwnerRefs: { pod: Pod; kind: string; name: string }[] = [];
  const counts: Record<string, number> = {};
  let meshConfig: MeshConfig = DEFAULT_MESH_CONFIG;
  let istiodEnv: IstiodEnv = {};
  let documents = 0;
  let rejected = 0;
  // In the order given, as kubectl takes its -f arguments; readManifestInputs lists a directory's files
  // in the order filepath.Walk visits them.
  for (const input of inputs) {
    const parsed = parseDocuments(input.text, input.file, input.firstLine);
    documents += parsed.documents;
    for (const d of parsed.diagnostics) diagnostics.push(d);
    for (const raw of parsed.objects) {
      const r = readObject(raw);
      for (const d of r.diagnostics) diagnostics.push(d);
      if (r.kind === 'rejected') {
        rejected++;
        continue;
      }
      if (r.kind === 'skipped') {
        skipped.push(r.skipped);
        if (r.skipped.kind === 'ConfigMap' && r.skipped.namespace === 'istio-system' && r.skipped.name === 'istio') {
          const m = readMeshConfig(raw);
          meshConfig = m.meshConfig;
          for (const d of m.diagnostics) diagnostics.push(d);
          skipped.pop();
          counts['ConfigMap'] = (counts['ConfigMap'] ?? 0) + 1;
        }
        continue;
      }
      const obj = r.object;
      const id = `${obj.kind}/${obj.meta.ref.namespace ?? ''}/${obj.meta.ref.name}`;
      const where = `${obj.meta.source.file}:${obj.meta.source.line}`;
      const prior = seen.get(id);
      if (prior) {
        // One warning per object however often it is redefined: a file repeating one object two
        // million times must not hold two million warnings.
        prior.count++;
        const warning = redefined(obj, prior);
        if (prior.warning < 0) prior.warning = diagnostics.push(warning) - 1;
        else diagnostics[prior.warning] = warning;
        objects[prior.index] = obj;
        prior.where = where;
      } else {
        seen.set(id, { first: where, where, count: 1, index: objects.length, warning: -1 });
        counts[obj.kind] = (counts[obj.kind] ?? 0) + 1;
        objects.push(obj);
      }
      if (obj.kind === 'Deployment' && obj.meta.ref.namespace === 'istio-system' && obj.meta.ref.name === 'istiod') istiodEnv = readIstiodEnv(raw);
      if (obj.kind === 'ReplicaSet') {
        const owner = controllerRef(raw.value);
        if (owner?.kind === 'Deployment') rsOwner.set(objectKey(obj.meta), `${obj.meta.ref.namespace}/${owner.name}`);
      }
      if (obj.kind === 'Pod') {
        const owner = controllerRef(raw.value);
        if (owner) podOwnerRefs.push({ pod: obj, kind: owner.kind, name: owner.name });
      }
    }
  }
  const cluster = assembleCluster({ objects, skipped, rsOwner, podOwnerRefs, meshConfig, istiodEnv: { ...istiodEnv, ...options.istiodEnv } });
  for (const d of skippedSummary(skipped)) diagnostics.push(d);
  return {
    cluster: cluster.cluster, diagnostics,
    stats: { files: inputs.length, documents, objects: counts, skipped: skipped.length, rejected, generatedPods: cluster.generated },
  };
}

/**
 * An object defined twice (same kind, namespace and name): the later definition replaces the earlier,
 * as `kubectl apply -f` leaves it. kubectl takes its -f arguments in the order given, a directory's
 * files in the order Go's `filepath.Walk` visits them (kubernetes cli-runtime pkg/resource/visitor.go
 * `ExpandPathsToFileVisitors`: each directory's entries by name, a directory walked where its name
 * sorts), and a file's documents in order; the loader takes its inputs in the order given, and
 * readManifestInputs lists a directory's files in walk order.
 */
function redefined(obj: ClusterObject, prior: Definitions): Diagnostic {
  const { file, line } = obj.meta.source;
  const message = prior.count === 2
    ? `${describe(obj)} is defined twice, at ${prior.where} and at ${file}:${line}; the later definition (${file}:${line}) is used, as kubectl apply -f would leave it, and the earlier one (${prior.where}) is ignored`
    : `${describe(obj)} is defined ${prior.count.toLocaleString('en-US')} times, first at ${prior.first} and last at ${file}:${line}; the last definition (${file}:${line}) is used, as kubectl apply -f would leave it, and the ${(prior.count - 1).toLocaleString('en-US')} earlier ones are ignored`;
  return { severity: 'warning', code: 'duplicate-object', object: describe(obj), file, line, message };
}

/** Where an object's definitions are: the first, the one in use, how many, its place in the objects and its warning's in the diagnostics. */
interface Definitions {
  readonly first: string;
  where: string;
  count: number;
  readonly index: number;
  warning: number;
}

function describe(obj: ClusterObject): string {
  return obj.meta.ref.namespace ? `${obj.kind} ${obj.meta.ref.namespace}/${obj.meta.ref.name}` : `${obj.kind} ${obj.meta.ref.name}`;
}

function controllerRef(value: Record<string, unknown>): { kind: string; name: string } | undefined {
  const refs = (value['metadata'] as Record<string, unknown> | undefined)?.['ownerReferences'];
  if (!Array.isArray(refs)) return undefined;
  const ref = (refs.find((r) => typeof r === 'object' && r !== null && (r as Record<string, unknown>)['controller'] === true) ?? refs[0]) as Record<string, unknown> | undefined;
  return ref && typeof ref['kind'] === 'string' && typeof ref['name'] === 'string' ? { kind: ref['kind'], name: ref['name'] } : undefined;
}

/** A document (or list item) without `kind` or `apiVersion`, at its first field, named by its 1-based document and item. */
function missingKind(raw: RawObject, field: 'kind' | 'apiVersion'): Diagnostic {
  const { file, line, column, document } = raw.source;
  const at = `${file}:${line}${column ? `:${column}` : ''}`;
  const which = `document ${document + 1}${raw.item !== undefined ? `, item ${raw.item + 1}` : ''}`;
  return { severity: 'error', code: 'missing-kind', file, line, ...(column ? { column } : {}), message: `${at}: ${which} has no ${field}; it is not a Kubernetes object` };
}

type ReadResult =
  | { kind: 'object'; object: ClusterObject; diagnostics: Diagnostic[] }
  | { kind: 'skipped'; skipped: SkippedObject; diagnostics: Diagnostic[] }
  | { kind: 'rejected'; diagnostics: Diagnostic[] };

function readObject(raw: RawObject): ReadResult {
  const v = raw.value;
  const { file, line } = raw.source;
  const kind = v['kind'];
  const apiVersion = v['apiVersion'];
  const md = v['metadata'];
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return { kind: 'rejected', diagnostics: [missingKind(raw, typeof kind !== 'string' ? 'kind' : 'apiVersion')] };
  const meta = typeof md === 'object' && md !== null && !Array.isArray(md) ? (md as Record<string, unknown>) : {};
  const name = meta['name'];
  const namespace = typeof meta['namespace'] === 'string' ? meta['namespace'] : undefined;
  const versionProblem = kind === 'EnvoyFilter' && apiVersion.startsWith('networking.istio.io/') ? envoyFilterVersionProblem(apiVersion) : undefined;
  if (versionProblem) {
    const label = `EnvoyFilter ${namespace ?? 'default'}/${typeof name === 'string' ? name : '(unnamed)'}`;
    return { kind: 'rejected', diagnostics: [{ severity: 'error', code: 'unsupported-api-version', object: label, file, line, message: `${label} (${file}:${line}): ${versionProblem}` }] };
  }
  if (!isKnownKind(kind, apiVersion)) {
    return { kind: 'skipped', skipped: { kind, apiVersion, ...(typeof name === 'string' ? { name } : {}), ...(namespace ? { namespace } : {}), source: raw.source, reason: 'unsupported-kind' }, diagnostics: [] };
  }
  const r = new FieldReader();
  const labels = r.stringMap(meta['labels'], 'metadata.labels') ?? {};
  const annotations = r.stringMap(meta['annotations'], 'metadata.annotations') ?? {};
  const objectName = typeof name === 'string' && name !== '' ? name : undefined;
  const ns = CLUSTER_SCOPED.has(kind) ? undefined : namespace ?? 'default';
  const label = `${kind} ${ns ? `${ns}/` : ''}${objectName ?? '(unnamed)'}`;
  if (!objectName) return { kind: 'rejected', diagnostics: [{ severity: 'error', code: 'missing-name', object: label, file, line, message: `${label} (${file}:${line}): metadata.name is required` }] };
  const badNames = nameProblems(kind, objectName, ns, labels);
  if (badNames.length > 0) {
    // The object is named by its kind and position alone: its name is not one to print as it is.
    const at = `${kind} (${file}:${line})`;
    return { kind: 'rejected', diagnostics: badNames.map((p) => ({ severity: 'error' as const, code: 'invalid-name', object: kind, file, line, message: `${at}: ${p.message}; the object is rejected, as the API server would reject it` })) };
  }
  const created = typeof meta['creationTimestamp'] === 'string' ? meta['creationTimestamp'] : undefined;
  const bare: ObjectMeta = {
    ref: ns ? { kind, namespace: ns, name: objectName } : { kind, name: objectName }, source: raw.source, labels, annotations,
    ...(created ? { creationTimestamp: created } : {}),
  };
  const objMeta = SECURITY.has(kind) ? withLazyPositions(bare, raw) : bare;
  const object = kind === 'EnvoyFilter'
    ? readEnvoyFilter(r, objMeta, v, (path) => objMeta.positions?.[path]?.[0] ?? line)
    : convert(kind, r, objMeta, v);
  if (r.problems.length > 0) {
    const positions = objMeta.positions;
    return {
      kind: 'rejected',
      diagnostics: r.problems.map((p) => {
        const pos = positions?.[p.path];
        const at = pos ? { line: pos[0], column: pos[1] } : { line };
        return { severity: 'error' as const, code: p.code, object: label, file, ...at, message: `${label} (${file}:${at.line}${pos ? `:${pos[1]}` : ''}): ${p.message}; the object is rejected, as the API server would reject it` };
      }),
    };
  }
  return { kind: 'object', object, diagnostics: [] };
}

/**
 * The meta of a policy, whose field positions are found in its file when first read (a diagnostic that
 * points at a field, a report), not for every policy loaded; once found they are kept.
 */
function withLazyPositions(meta: ObjectMeta, raw: RawObject): ObjectMeta {
  let positions: FieldPositions | undefined;
  return Object.defineProperty(meta, 'positions', { enumerable: true, get: () => (positions ??= raw.positions()) });
}

function isKnownKind(kind: string, apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  switch (kind) {
    case 'Namespace': case 'Node': case 'Pod': case 'Service': case 'ServiceAccount': return group === '';
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': return group === 'apps';
    case 'Job': return group === 'batch';
    case 'Gateway': case 'GatewayClass': return group === 'gateway.networking.k8s.io';
    case 'AuthorizationPolicy': case 'PeerAuthentication': case 'RequestAuthentication': return group === 'security.istio.io';
    case 'EnvoyFilter': return apiVersion === 'networking.istio.io/v1alpha3';
    default: return false;
  }
}

function convert(kind: string, r: FieldReader, meta: ObjectMeta, v: Record<string, unknown>): ClusterObject {
  switch (kind) {
    case 'Namespace': return { kind: 'Namespace', meta };
    case 'Node': return readNode(r, meta, v);
    case 'Pod': return readPod(r, meta, v);
    case 'Service': return readService(r, meta, v);
    case 'ServiceAccount': return { kind: 'ServiceAccount', meta };
    case 'Gateway': return readGateway(r, meta, v);
    case 'GatewayClass': return readGatewayClass(r, meta, v);
    case 'AuthorizationPolicy': return { kind: 'AuthorizationPolicy', meta, spec: readAuthorizationPolicySpec(r, v['spec']) } satisfies AuthorizationPolicy;
    case 'PeerAuthentication': return { kind: 'PeerAuthentication', meta, spec: readPeerAuthenticationSpec(r, v['spec']) } satisfies PeerAuthentication;
    case 'RequestAuthentication': return { kind: 'RequestAuthentication', meta, spec: readRequestAuthenticationSpec(r, v['spec']) } satisfies RequestAuthentication;
    default: return readController(r, meta, v, kind as ControllerKind);
  }
}

function skippedSummary(skipped: readonly SkippedObject[]): Diagnostic[] {
  if (skipped.length === 0) return [];
  const byKind = new Map<string, number>();
  for (const s of skipped) byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
  const list = [...byKind].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} (${n})`).join(', ');
  return [{ severity: 'info', code: 'skipped-kinds', message: `skipped ${skipped.length} object${skipped.length === 1 ? '' : 's'} of kinds the simulator does not act on: ${list}` }];
}
