import fc from 'fast-check';
import type { Cluster } from '../../src/model/cluster.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Flow } from '../../src/model/flow.js';
import { allow, ambientNamespace, cluster, deny, namespace, node, pod, service, waypoint } from '../support/builders.js';

/** Hostile names for escaping tests: every control character and markup character mixed with plain ones. */

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** What no report may print raw: C0 and C1 controls, DEL, the line and paragraph separators, bidi overrides and isolates. */
export const CONTROLS: readonly string[] = [...range(0x00, 0x1f), '\u007f', ...range(0x80, 0x9f), '\u2028', '\u2029', ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const MARKUP = ['\\', '|', '`', '<', '>', '&', '"', "'", '[', ']', '*', '_', '#', '!', '(', ')', ':', ' '];
/** Plain characters; neither digits nor `X`, so {@link twin} is one to one. */
const PLAIN = ['a', 'b', 'c', '-', '.'];

/** A string of 1 to 8 characters drawn from controls, markup and plain letters. */
export const hostileText = fc.array(fc.constantFrom(...CONTROLS, ...MARKUP, ...PLAIN), { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));

const SPECIAL = new RegExp(`[${[...CONTROLS, ...MARKUP].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`, 'g');

/** A raw control character anywhere but a newline (and a tab where `tab` is true). */
export function rawControl(text: string, tab = false): RegExpMatchArray | null {
  return text.match(new RegExp(`[${CONTROLS.filter((c) => c !== '\n' && !(tab && c === '\t')).map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`));
}

/**
 * The same value with every string's special characters written `X<code>X`: the same records, one to
 * one, with ordinary names, so a report of it has the structure (lines, rows, elements) the hostile one must keep.
 */
export function twin<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value === 'string') return value.replace(SPECIAL, (c) => `X${c.charCodeAt(0)}X`) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(twin(v, seen));
    return out as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[twin(k, seen)] = twin(v, seen);
  return out as T;
}

/** The hostile values one case uses. */
export interface HostileNames {
  readonly namespace: string;
  readonly pod: string;
  readonly policy: string;
  readonly node: string;
  readonly id: string;
  readonly path: string;
  readonly host: string;
  readonly method: string;
  readonly header: string;
  readonly file: string;
  readonly message: string;
}

export const hostileNames: fc.Arbitrary<HostileNames> = fc.record({
  namespace: hostileText, pod: hostileText, policy: hostileText, node: hostileText, id: hostileText,
  path: hostileText, host: hostileText, method: hostileText, header: hostileText, file: hostileText, message: hostileText,
});

/**
 * A cluster built through the library, not the loader (which refuses such names): a hostile namespace
 * with a waypoint, a pod on a hostile node, a Service, and ALLOW and DENY policies with hostile names.
 */
export function hostileCluster(n: HostileNames, withDeny: boolean): Cluster {
  const ns = `n${n.namespace}`;
  const objects = [
    ambientNamespace('orders'), ambientNamespace(ns, { 'istio.io/use-waypoint': 'wp' }), namespace('legacy'),
    node(`k${n.node}`, '10.0.0.1'),
    pod('orders/checkout', '10.1.0.1', { node: `k${n.node}` }), pod(`${ns}/p${n.pod}`, '10.1.0.2', { node: `k${n.node}` }),
    pod('legacy/batch', '10.1.0.3'),
    service(`${ns}/api`, '10.96.0.1', { selector: { app: `p${n.pod}` } }), waypoint(`${ns}/wp`),
    allow(`${ns}/a${n.policy}`, [{ from: [{ source: { namespaces: [`o${n.header}`] } }], to: [{ operation: { paths: [`/${n.path}`], hosts: [`h${n.host}`] } }] }], { targetRefs: [{ kind: 'Service', group: '', name: 'api' }] }),
    allow(`${ns}/z${n.policy}`, [{ from: [{ source: { principals: [`cluster.local/ns/orders/sa/${n.header}`] } }] }]),
    ...(withDeny ? [deny(`${ns}/d${n.policy}`, [{ to: [{ operation: { ports: ['8080'] } }] }])] : []),
  ];
  return cluster(objects);
}

/** Flows with hostile ids, methods, paths, hosts and headers, to the Service, to the pod, and from a source the manifests lack. */
export function hostileFlows(n: HostileNames): Flow[] {
  const ns = `n${n.namespace}`;
  const http = { method: `M${n.method}`, path: `/${n.path}`, host: `h${n.host}`, headers: { 'x-name': n.header } };
  const at = (id: string, source: Flow['source'], destination: Flow['destination'], withHttp: boolean): Flow =>
    ({ id, source, destination, protocol: withHttp ? 'http' : 'tcp', ...(withHttp ? { http } : {}), time: 0 });
  return [
    at(`i${n.id}`, { workload: 'orders/checkout' }, { service: `${ns}/api`, port: 80 }, true),
    at(`j${n.id}`, { workload: 'legacy/batch' }, { workload: `${ns}/p${n.pod}`, port: 8080 }, false),
    at(`k${n.id}`, { workload: `orders/u${n.pod}` }, { service: `${ns}/api`, port: 80 }, false),
    at(`l${n.id}`, { ip: '203.0.113.9' }, { ip: '10.1.0.2', port: 8080 }, true),
  ];
}

/** Diagnostics quoting hostile values, as loaders write them: a located error, a located warning, a note without a file. */
export function hostileDiagnostics(n: HostileNames): Diagnostic[] {
  const file = `f${n.file}.yaml`;
  return [
    { severity: 'error', code: 'invalid-flow', file, line: 3, column: 5, message: `${file}:3:5: flow "${n.id}": ${n.message}` },
    { severity: 'warning', code: 'unknown-scenario-field', file, line: 7, object: `Pod n${n.namespace}/p${n.pod}`, message: `Pod n${n.namespace}/p${n.pod} (${file}:7): ${n.message}` },
    { severity: 'info', code: 'skipped-kinds', message: `skipped ${n.message}` },
  ];
}
