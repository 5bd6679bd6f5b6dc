import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow, FlowDestination, FlowJwt, FlowSource, HttpRequest, Transport } from '../../model/flow.js';
import { cut, EXCERPT_CHARS, excerpt } from '../excerpt.js';

/** Where an entry was written, for diagnostics. */
export interface EntryContext {
  readonly file: string;
  readonly line: number;
  readonly index: number;
  readonly kind: 'flows-file' | 'flow-log';
}

const TRANSPORTS: readonly Transport[] = ['tcp', 'http', 'udp'];
/** The fields of a flows-file entry (schemas/flows.schema.json lists the same). */
export const FLOW_ENTRY_FIELDS = ['id', 'source', 'destination', 'protocol', 'method', 'path', 'host', 'headers', 'time', 'duration', 'jwt'] as const;
const KNOWN_FIELDS = new Set<string>(FLOW_ENTRY_FIELDS);
const KNOWN_FIELD_LIST = [...KNOWN_FIELDS].join(', ');
const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

/**
 * Converts one entry of a flows file (DESIGN.md "Flows file") into a Flow, or explains with file and
 * line why it cannot. Never throws.
 */
export function flowFromEntry(entry: unknown, ctx: EntryContext): { flow?: Flow; diagnostics: readonly Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const flow = readFlowEntry(entry, ctx, diagnostics);
  if (!flow) return { diagnostics };
  return { flow, diagnostics: diagnostics.length > 0 ? diagnostics : NO_DIAGNOSTICS };
}

/**
 * flowFromEntry for readers of many entries: the entry's warnings and error are pushed to
 * `diagnostics` (in the same order), and nothing is made per entry beyond the flow unless it has a
 * problem. Returns the flow, or undefined when the entry is left out.
 */
export function readFlowEntry(entry: unknown, ctx: EntryContext, diagnostics: Diagnostic[]): Flow | undefined {
  if (!isRecord(entry)) return invalid(ctx, `expected a mapping with source and destination, got ${describe(entry)}`, diagnostics);
  for (const key in entry) {
    if (!KNOWN_FIELDS.has(key)) {
      diagnostics.push({ severity: 'warning', code: 'unknown-flow-field', file: ctx.file, line: ctx.line, message: `${ctx.file}:${ctx.line}: flow ${ctx.index + 1}: unknown field ${excerpt(key)} ignored; known fields are ${KNOWN_FIELD_LIST}` });
    }
  }
  const source = parseSource(entry['source']);
  if (typeof source === 'string') return invalid(ctx, source, diagnostics);
  const destination = parseDestination(entry['destination']);
  if (typeof destination === 'string') return invalid(ctx, destination, diagnostics);
  const protocol = entry['protocol'] ?? (entry['method'] !== undefined || entry['path'] !== undefined ? 'http' : 'tcp');
  if (protocol !== 'tcp' && protocol !== 'http' && protocol !== 'udp') {
    return invalid(ctx, `protocol must be one of ${TRANSPORTS.join(', ')}, got ${describe(protocol)}`, diagnostics);
  }
  const http = protocol === 'http' ? parseHttp(entry) : undefined;
  if (typeof http === 'string') return invalid(ctx, http, diagnostics);
  const time = entry['time'] ?? 0;
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) return invalid(ctx, `time must be a non-negative number of seconds, got ${describe(time)}`, diagnostics);
  const duration = entry['duration'];
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0)) return invalid(ctx, `duration must be a non-negative number of seconds, got ${describe(duration)}`, diagnostics);
  const id = entry['id'] ?? String(ctx.index + 1);
  if (typeof id !== 'string' && typeof id !== 'number') return invalid(ctx, `id must be a string, got ${describe(id)}`, diagnostics);
  const jwt = entry['jwt'] === undefined ? undefined : parseJwt(entry['jwt']);
  if (typeof jwt === 'string') return invalid(ctx, jwt, diagnostics);
  const flow = makeFlow({ id: String(id), source, destination, protocol, time, origin: { kind: ctx.kind, source: { file: ctx.file, document: 0, line: ctx.line } } }, http, jwt);
  return duration === undefined ? flow : { ...flow, duration };
}

type FlowCore = Omit<Flow, 'http' | 'jwt'>;

/** The flow with its fields in the contract's order (id, source, destination, protocol, http, jwt, time, origin), built without spreading. */
function makeFlow(f: FlowCore, http: HttpRequest | undefined, jwt: FlowJwt | undefined): Flow {
  const { id, source, destination, protocol, time, origin } = f;
  if (http) return jwt ? { id, source, destination, protocol, http, jwt, time, origin } : { id, source, destination, protocol, http, time, origin };
  return jwt ? { id, source, destination, protocol, jwt, time, origin } : { id, source, destination, protocol, time, origin };
}

/** Pushes the error that leaves the entry out. */
function invalid(ctx: EntryContext, message: string, diagnostics: Diagnostic[]): undefined {
  diagnostics.push({ severity: 'error', code: 'invalid-flow', file: ctx.file, line: ctx.line, message: `${ctx.file}:${ctx.line}: flow ${ctx.index + 1}: ${message}` });
  return undefined;
}

function parseSource(value: unknown): FlowSource | string {
  if (!isRecord(value)) return `source must be { workload: ns/name } or { ip: address }, got ${describe(value)}`;
  if (typeof value['workload'] === 'string') {
    return value['workload'].includes('/') ? { workload: value['workload'] } : `source.workload must be namespace/name, got ${excerpt(value['workload'])}`;
  }
  if (typeof value['ip'] === 'string' && isIp(value['ip'])) return { ip: value['ip'] };
  return `source must be { workload: ns/name } or { ip: address }, got ${cut(JSON.stringify(value), EXCERPT_CHARS)}`;
}

function parseDestination(value: unknown): FlowDestination | string {
  const shape = 'destination must be { service: ns/name, port } or { workload: ns/name, port } or { ip, port }';
  if (!isRecord(value)) return `${shape}, got ${describe(value)}`;
  const port = value['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `destination.port must be an integer from 1 to 65535, got ${describe(port)}`;
  }
  for (const key of ['service', 'workload'] as const) {
    const ref = value[key];
    if (typeof ref === 'string') {
      if (!ref.includes('/')) return `destination.${key} must be namespace/name, got ${excerpt(ref)}`;
      return key === 'service' ? { service: ref, port } : { workload: ref, port };
    }
  }
  if (typeof value['ip'] === 'string' && isIp(value['ip'])) return { ip: value['ip'], port };
  return `${shape}, got ${cut(JSON.stringify(value), EXCERPT_CHARS)}`;
}

function parseHttp(entry: Record<string, unknown>): HttpRequest | string {
  const method = entry['method'] ?? 'GET';
  const path = entry['path'] ?? '/';
  if (typeof method !== 'string' || method === '') return `method must be a string, got ${describe(method)}`;
  if (typeof path !== 'string' || !path.startsWith('/')) return `path must be a string starting with "/", got ${describe(path)}`;
  const host = entry['host'];
  if (host !== undefined && typeof host !== 'string') return `host must be a string, got ${describe(host)}`;
  const headers = parseHeaders(entry['headers']);
  if (typeof headers === 'string') return headers;
  return host !== undefined ? { method, path, host, headers } : { method, path, headers };
}

/** `headers: { name: value }` with names lower-cased; absent (or null) is no headers. */
function parseHeaders(raw: unknown): Record<string, string> | string {
  const headers: Record<string, string> = {};
  if (raw === undefined || raw === null) return headers;
  if (!isRecord(raw)) return `headers must be a mapping of name to value, got ${describe(raw)}`;
  for (const k in raw) {
    const v = raw[k];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return `header ${excerpt(k)} must have a string value, got ${describe(v)}`;
    headers[k.toLowerCase()] = String(v);
  }
  return headers;
}

/** `jwt: { iss, sub, claims?, invalid? }`: the claims of the request's token (not verified). */
function parseJwt(value: unknown): FlowJwt | string {
  if (!isRecord(value) || typeof value['iss'] !== 'string' || typeof value['sub'] !== 'string') {
    return `jwt must be { iss: issuer, sub: subject, claims?: {...}, invalid?: true }, got ${describe(value)}`;
  }
  const claims = value['claims'] ?? {};
  if (!isRecord(claims)) return `jwt.claims must be a mapping, got ${describe(claims)}`;
  const invalid = value['invalid'];
  if (invalid !== undefined && typeof invalid !== 'boolean') return `jwt.invalid must be true or false, got ${describe(invalid)}`;
  return { iss: value['iss'], sub: value['sub'], claims: { iss: value['iss'], sub: value['sub'], ...claims }, ...(invalid === true ? { invalid } : {}) };
}

function isIp(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) || (text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? `string ${excerpt(value)}` : `${typeof value} ${cut(String(value), EXCERPT_CHARS)}`;
}
