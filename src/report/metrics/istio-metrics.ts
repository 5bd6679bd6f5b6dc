import type { Mesh } from '../../model/mesh.js';
import type { FlowResult } from '../../model/result.js';
import { reportedTraffic, type Labels } from './reported-traffic.js';
import { telemetryDirectory, type TelemetryDirectory } from './workload-labels.js';
import { counterHeader, EOF_LINE, labelSet, sampleLine } from './openmetrics.js';

/** How the metrics of a run are sampled: window length and the wall-clock time of the traffic's second 0. */
export interface MetricsOptions {
  /** Seconds per sample; one sample per series per window, at the window's end (a scrape). Default 15. */
  readonly window?: number;
  /** Seconds since the Unix epoch that the traffic's time 0 stands for. */
  readonly start: number;
}

/** Istio's metric names and help texts (istio/ztunnel src/proxy/metrics.rs `Metrics::new`, under the `istio` prefix; Envoy's istio stats). */
const FAMILIES = {
  requests: ['istio_requests_total', 'Total number of requests handled by an Istio proxy.'],
  opened: ['istio_tcp_connections_opened_total', 'The total number of TCP connections opened'],
  closed: ['istio_tcp_connections_closed_total', 'The total number of TCP connections closed'],
  failed: ['istio_tcp_connections_failed_total', 'The total number of TCP connections that failed to establish (unstable)'],
} as const;

type Family = keyof typeof FAMILIES;

/** Prometheus's default `--query.lookback-delta`. */
const LOOKBACK_SECONDS = 300;

interface Series {
  readonly labels: string;
  /** Window index to the count added in it. */
  readonly counts: Map<number, number>;
}

/**
 * Accumulates Istio's standard metrics from results as they stream, as the reporters would count
 * them (reported-traffic.ts), and writes them as OpenMetrics text: each counter sampled at the end of
 * every window from its first increment to the end of the traffic. Memory grows with series times
 * windows (and the distinct outcomes of flows), never with flows.
 */
export class IstioMetricsRecorder {
  private readonly directory: TelemetryDirectory;
  private readonly window: number;
  private readonly series: Record<Family, Map<string, Series>> = { requests: new Map(), opened: new Map(), closed: new Map(), failed: new Map() };
  private lastWindow = 0;
  /** Outcome keys (outcomeKey) to the series they count in. */
  private readonly outcomes = new Map<string, Series[]>();

  constructor(mesh: Mesh, private readonly options: MetricsOptions) {
    this.directory = telemetryDirectory(mesh);
    this.window = options.window ?? 15;
  }

  /** Counts one result at `time` (seconds from the traffic's start); `http` when it carried an HTTP request. */
  add(result: FlowResult, time: number, http: boolean): void {
    const w = Math.max(0, Math.floor((Number.isFinite(time) ? time : 0) / this.window));
    if (w > this.lastWindow) this.lastWindow = w;
    const outcome = outcomeKey(result, http);
    let counted = this.outcomes.get(outcome);
    if (!counted) {
      counted = this.seriesOf(result, http);
      this.outcomes.set(outcome, counted);
    }
    for (const s of counted) s.counts.set(w, (s.counts.get(w) ?? 0) + 1);
  }

  /** The series a result counts in, found once per distinct outcome (most flows repeat one). */
  private seriesOf(result: FlowResult, http: boolean): Series[] {
    const reported = reportedTraffic(result, http, this.directory);
    const out: Series[] = [];
    for (const c of reported.connections) {
      out.push(this.seriesFor('opened', withFlags(c.labels, '-')), this.seriesFor('closed', withFlags(c.labels, c.closeFlag)));
      if (c.closeFlag !== '-') out.push(this.seriesFor('failed', withFlags(c.labels, c.closeFlag)));
    }
    for (const r of reported.requests) out.push(this.seriesFor('requests', r.labels));
    return out;
  }

  /** The OpenMetrics text: families in a fixed order, series by label set, samples in time order, then `# EOF`. */
  render(): string {
    const out: string[] = [];
    for (const family of ['requests', 'opened', 'closed', 'failed'] as const) {
      const [name, help] = FAMILIES[family];
      out.push(counterHeader(name, help));
      for (const key of [...this.series[family].keys()].sort()) out.push(this.samples(name, this.series[family].get(key) as Series));
    }
    out.push(EOF_LINE);
    return out.join('');
  }

  /**
   * A series' samples: one per window from each window it grew in, while it keeps growing and for
   * Prometheus's default lookback (5 minutes) after, and at the end of the traffic; a long quiet
   * stretch has no samples (as a scrape target that was gone), so output grows with increments, not
   * with the length of the traffic.
   */
  private samples(name: string, s: Series): string {
    const hold = Math.ceil(LOOKBACK_SECONDS / this.window);
    const windows = [...s.counts.keys()].sort((a, b) => a - b);
    let total = 0;
    let text = '';
    windows.forEach((w, i) => {
      total += s.counts.get(w) as number;
      const next = windows[i + 1];
      const until = next !== undefined ? Math.min(next - 1, w + hold) : Math.min(this.lastWindow, w + hold);
      for (let t = w; t <= until; t++) text += sampleLine(name, s.labels, total, this.options.start + (t + 1) * this.window);
      if (next === undefined && until < this.lastWindow) text += sampleLine(name, s.labels, total, this.options.start + (this.lastWindow + 1) * this.window);
    });
    return text;
  }

  private seriesFor(family: Family, labels: Labels): Series {
    const key = labelSet(labels);
    let s = this.series[family].get(key);
    if (!s) {
      s = { labels: key, counts: new Map() };
      this.series[family].set(key, s);
    }
    return s;
  }
}

/** The fields of a result that reported-traffic.ts reads, as one key: results with the same key count in the same series. */
function outcomeKey(r: FlowResult, http: boolean): string {
  const first = r.hops[0];
  const last = r.hops[r.hops.length - 1];
  const at = r.steps.map((s) => s.at).join('\u0000');
  return [http, r.destination, r.verdict, r.decidedBy.component, first?.from, first?.transport, first?.peerIdentity, last?.from, last?.to, last?.transport, last?.peerIdentity, at].join('\u0001');
}

/** ztunnel's label order: `response_flags` between `request_protocol` and `connection_security_policy`. */
function withFlags(labels: Labels, flags: string): Labels {
  const { connection_security_policy: security, ...rest } = labels;
  return { ...rest, response_flags: flags, connection_security_policy: security as string };
}
