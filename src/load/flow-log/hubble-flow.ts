import type { Flow, FlowDestination, FlowSource, HttpRequest } from '../../model/flow.js';

/** A Hubble flow record reduced to what a replay needs, or why it is skipped. */
export type HubbleRecord =
  | { readonly kind: 'connection'; readonly key: string; readonly flow: Omit<Flow, 'id'> }
  | { readonly kind: 'request'; readonly key: string; readonly flow: Omit<Flow, 'id'> }
  | { readonly kind: 'skip'; readonly reason: string };

type Json = Record<string, unknown>;

function record(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** Reads a field by its protobuf name or its lowerCamelCase JSON name (`pod_name` / `podName`). */
function field(o: Json | undefined, name: string): unknown {
  if (!o) return undefined;
  if (name in o) return o[name];
  return o[name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** True when a JSON line is a Hubble export (`hubble observe -o json`, or a bare flow.Flow). */
export function isHubbleRecord(v: unknown): boolean {
  const o = record(v);
  if (!o) return false;
  const flow = record(o['flow']) ?? o;
  return 'IP' in flow || 'l4' in flow || 'Type' in flow || 'verdict' in flow && 'source' in flow && 'destination' in flow && !('port' in (record(flow['destination']) ?? {}));
}

/**
 * Converts one Hubble record (cilium `flow.proto` Flow) into a connection or an HTTP request. Replies,
 * L7 responses and protocols other than TCP and UDP are skipped with a reason. Pod names are used when
 * Hubble knows them, else IPs.
 */
export function hubbleRecord(v: unknown): HubbleRecord {
  const outer = record(v) as Json;
  const flow = record(outer['flow']) ?? outer;
  if (field(flow, 'is_reply') === true) return { kind: 'skip', reason: 'reply direction' };
  const ip = record(field(flow, 'IP'));
  const l4 = record(field(flow, 'l4'));
  const tcp = record(field(l4, 'TCP'));
  const udp = record(field(l4, 'UDP'));
  const ports = tcp ?? udp;
  const src = str(field(ip, 'source'));
  const dst = str(field(ip, 'destination'));
  if (!ports || !src || !dst) return { kind: 'skip', reason: l4 ? `${Object.keys(l4)[0] ?? 'unknown'} is not TCP or UDP` : 'no IP and L4 information' };
  const srcPort = Number(field(ports, 'source_port') ?? 0);
  const dstPort = Number(field(ports, 'destination_port') ?? 0);
  const key = `${src}:${srcPort}>${dst}:${dstPort}/${tcp ? 'tcp' : 'udp'}`;
  const source = endpoint(record(field(flow, 'source')), src);
  const destination = { ...endpoint(record(field(flow, 'destination')), dst), port: dstPort } as FlowDestination;
  const time = timeOf(field(flow, 'time') ?? outer['time']);
  const note = serviceNote(record(field(flow, 'destination_service')));
  const base = { source, destination, time, origin: { kind: 'flow-log' as const, ...(note ? { note } : {}) } };
  const l7 = record(field(flow, 'l7'));
  if (l7) {
    if (str(field(l7, 'type')) !== 'REQUEST') return { kind: 'skip', reason: `L7 ${String(field(l7, 'type') ?? 'record').toLowerCase()}` };
    const http = record(field(l7, 'http'));
    if (!http) return { kind: 'skip', reason: `L7 ${Object.keys(l7).find((k) => k !== 'type' && k !== 'latency_ns') ?? 'record'} other than HTTP` };
    return { kind: 'request', key, flow: { ...base, protocol: 'http', http: httpRequest(http) } };
  }
  return { kind: 'connection', key, flow: { ...base, protocol: tcp ? 'tcp' : 'udp' } };
}

function endpoint(e: Json | undefined, ip: string): FlowSource {
  const pod = str(field(e, 'pod_name'));
  const ns = str(field(e, 'namespace'));
  return pod && ns ? { workload: `${ns}/${pod}` } : { ip };
}

function serviceNote(svc: Json | undefined): string | undefined {
  const name = str(field(svc, 'name'));
  const ns = str(field(svc, 'namespace'));
  return name ? `Hubble recorded the destination after service translation (Service ${ns ? `${ns}/` : ''}${name})` : undefined;
}

function httpRequest(http: Json): HttpRequest {
  const url = str(field(http, 'url')) ?? '/';
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)(.*)$/.exec(url);
  const headers: Record<string, string> = {};
  const list = field(http, 'headers');
  if (Array.isArray(list)) {
    for (const h of list) {
      const k = str(field(record(h), 'key'));
      if (k) headers[k.toLowerCase()] = String(field(record(h), 'value') ?? '');
    }
  }
  const host = m?.[1] ?? headers[':authority'] ?? headers.host;
  return { method: str(field(http, 'method')) ?? 'GET', path: m ? m[2] || '/' : url, headers, ...(host ? { host } : {}) };
}

function timeOf(v: unknown): number {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? 0 : t / 1000;
}
