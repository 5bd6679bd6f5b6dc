import { beforeAll, describe, expect, it } from 'vitest';
import { prepareMesh, simulateFlows, type Cluster, type Flow, type FlowResult, type Mesh } from '../../../src/index.js';
import { loadManifestFiles, readFlowsFile } from '../../../src/files.js';
import { IstioMetricsRecorder } from '../../../src/report/metrics/istio-metrics.js';
import { labelValue } from '../../../src/report/metrics/openmetrics.js';

/** A parsed sample line: metric name, labels, value and timestamp. */
interface Sample { name: string; labels: Record<string, string>; value: number; time: number }

function parse(text: string): Sample[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((line) => {
    const m = /^([a-z_]+)\{(.*)\} (\S+) (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] as string).matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[k as string] = (v as string).replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    return { name: m[1] as string, labels, value: Number(m[3]), time: Number(m[4]) };
  });
}

/** The labels istio/ztunnel src/proxy/metrics.rs `CommonTrafficLabels` encodes, in its order (locality labels are optional there and left out). */
const ZTUNNEL_LABELS = [
  'reporter', 'source_workload', 'source_canonical_service', 'source_canonical_revision', 'source_workload_namespace', 'source_principal',
  'source_app', 'source_version', 'source_cluster', 'destination_service', 'destination_service_namespace', 'destination_service_name',
  'destination_workload', 'destination_canonical_service', 'destination_canonical_revision', 'destination_workload_namespace',
  'destination_principal', 'destination_app', 'destination_version', 'destination_cluster', 'request_protocol', 'response_flags',
  'connection_security_policy',
];

let cluster: Cluster;
let mesh: Mesh;
let flows: readonly Flow[];
let results: readonly FlowResult[];
const byId = (id: string) => results.find((r) => r.id === id) as FlowResult;
const flowOf = (id: string) => flows.find((f) => f.id === id) as Flow;
beforeAll(async () => {
  cluster = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
  mesh = prepareMesh(cluster).mesh;
  flows = (await readFlowsFile('scenarios/demo/flows.yaml')).flows;
  results = simulateFlows(cluster, flows).results;
});

function metricsOf(ids: readonly string[], options: { window?: number; times?: readonly number[] } = {}): Sample[] {
  const recorder = new IstioMetricsRecorder(mesh, { start: 1_700_000_000, window: options.window ?? 15 });
  ids.forEach((id, i) => recorder.add(byId(id), options.times?.[i] ?? 0, flowOf(id).http !== undefined));
  return parse(recorder.render());
}

describe('IstioMetricsRecorder counts what the destination ztunnel reports (istio/ztunnel src/proxy/inbound.rs, metrics.rs)', () => {
  it('writes the ztunnel connection labels in ztunnel\'s order, reporter destination, for a connection the ztunnel allowed', () => {
    const samples = metricsOf(['storefront-places-order']);
    const opened = samples.filter((s) => s.name === 'istio_tcp_connections_opened_total');
    expect(opened).toHaveLength(1);
    expect(Object.keys(opened[0]?.labels ?? {})).toEqual(ZTUNNEL_LABELS);
    expect(opened[0]?.labels).toMatchObject({
      reporter: 'destination', source_workload: 'storefront', source_workload_namespace: 'frontend',
      source_principal: 'spiffe://cluster.local/ns/frontend/sa/storefront', destination_service: 'order-service.orders.svc.cluster.local',
      destination_workload: 'order-service', request_protocol: 'tcp', response_flags: '-', connection_security_policy: 'mutual_tls',
    });
    expect(samples.filter((s) => s.name === 'istio_tcp_connections_closed_total').map((s) => s.labels['response_flags'])).toEqual(['-']);
    expect(samples.filter((s) => s.name === 'istio_tcp_connections_failed_total')).toEqual([]);
  });

  it('counts a denied connection as opened, then closed and failed with response_flags DENY (record_with_flag AuthorizationPolicyDenied)', () => {
    const samples = metricsOf(['legacy-reads-orders']);
    expect(samples.find((s) => s.name === 'istio_tcp_connections_opened_total')?.labels['response_flags']).toBe('-');
    expect(samples.find((s) => s.name === 'istio_tcp_connections_closed_total')?.labels['response_flags']).toBe('DENY');
    expect(samples.find((s) => s.name === 'istio_tcp_connections_failed_total')?.labels['response_flags']).toBe('DENY');
  });

  it('reports plaintext from outside the mesh with connection_security_policy unknown and no source principal (inbound_passthrough.rs)', () => {
    const opened = metricsOf(['legacy-reads-orders']).find((s) => s.name === 'istio_tcp_connections_opened_total');
    expect(opened?.labels).toMatchObject({ connection_security_policy: 'unknown', source_principal: 'unknown', source_workload: 'reporting' });
  });

  it('sees the waypoint, not the client, as the source of a connection after a waypoint', () => {
    const opened = metricsOf(['checkout-pays']).find((s) => s.name === 'istio_tcp_connections_opened_total');
    expect(opened?.labels).toMatchObject({ source_workload: 'payments-waypoint', source_principal: 'spiffe://cluster.local/ns/fintech-core/sa/payments-waypoint' });
  });

  it('writes nothing for traffic no Istio component saw (out-of-mesh to out-of-mesh, DNS)', () => {
    expect(metricsOf(['orders-report-to-legacy', 'order-service-dns'])).toEqual([]);
  });
});

describe('IstioMetricsRecorder counts the requests a waypoint reports in istio_requests_total', () => {
  it('writes reporter waypoint, 200 for an allowed request and 403 for one the waypoint denied, over mutual_tls', () => {
    const requests = metricsOf(['checkout-pays', 'checkout-tries-refund']).filter((s) => s.name === 'istio_requests_total');
    expect(requests.map((s) => [s.labels['reporter'], s.labels['response_code'], s.labels['connection_security_policy']]).sort()).toEqual([
      ['waypoint', '200', 'mutual_tls'], ['waypoint', '403', 'mutual_tls'],
    ]);
    const denied = requests.find((s) => s.labels['response_code'] === '403');
    expect(denied?.labels).toMatchObject({ source_workload: 'checkout-service', destination_service_name: 'payment-processor', destination_workload: 'unknown', request_protocol: 'http' });
  });

  it('writes no request for TCP and no request where no waypoint or sidecar is on the path', () => {
    expect(metricsOf(['storefront-places-order', 'legacy-reads-orders']).filter((s) => s.name === 'istio_requests_total')).toEqual([]);
  });
});

describe('IstioMetricsRecorder samples each series once per window', () => {
  it('writes cumulative counts at each window\'s end, in time order, one sample per series per window', () => {
    const samples = metricsOf(['checkout-pays', 'checkout-pays', 'checkout-pays', 'checkout-pays'], { times: [1, 2, 20, 50] }).filter((s) => s.name === 'istio_requests_total');
    expect(samples.map((s) => [s.time - 1_700_000_000, s.value])).toEqual([[15, 2], [30, 3], [45, 3], [60, 4]]);
  });

  it('keeps sampling a quiet series for the 5-minute lookback, then stops until it grows again, and samples it at the end', () => {
    const samples = metricsOf(['checkout-pays', 'checkout-pays', 'storefront-places-order'], { window: 60, times: [0, 1000, 3000] }).filter((s) => s.name === 'istio_requests_total');
    expect(samples.map((s) => [(s.time - 1_700_000_000) / 60, s.value])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [17, 2], [18, 2], [19, 2], [20, 2], [21, 2], [22, 2], [51, 2]]);
  });

  it('ends with # EOF and declares each family once, with HELP and TYPE counter', () => {
    const recorder = new IstioMetricsRecorder(mesh, { start: 0 });
    for (const r of results) recorder.add(r, 0, flowOf(r.id).http !== undefined);
    const text = recorder.render();
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    expect(text.match(/^# TYPE \S+ counter$/gm)).toEqual([
      '# TYPE istio_requests_total counter', '# TYPE istio_tcp_connections_opened_total counter',
      '# TYPE istio_tcp_connections_closed_total counter', '# TYPE istio_tcp_connections_failed_total counter',
    ]);
  });
});

describe('labelValue() quotes a label value as the exposition formats do', () => {
  it.each([['a"b', 'a\\"b'], ['a\\b', 'a\\\\b'], ['a\nb', 'a\\nb'], ['plain', 'plain']])('quotes %j', (value, quoted) => {
    expect(labelValue(value)).toBe(quoted);
  });
});
