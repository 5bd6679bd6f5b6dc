/**
 * OpenMetrics text (https://prometheus.io/docs/specs/om/open_metrics_spec/) as Prometheus reads it:
 * a `# HELP` and `# TYPE` per family, samples with timestamps in seconds, `# EOF` at the end. Counter
 * families are named as their samples (`istio_requests_total`), as Istio's proxies expose them and as
 * `promtool check metrics` lints them; Prometheus's OpenMetrics parser
 * (`promtool tsdb create-blocks-from openmetrics`) reads the same text.
 */

/** A label value as the exposition formats quote it: backslash, double quote and line feed escaped. */
export function labelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `{a="1",b="2"}` for labels in the order given. */
export function labelSet(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${labelValue(v)}"`).join(',')}}`;
}

/** The two comment lines that open a counter family. */
export function counterHeader(name: string, help: string): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} counter\n`;
}

/** A sample line: name, labels, value, timestamp in seconds (milliseconds kept, as Prometheus stores them). */
export function sampleLine(name: string, labels: string, value: number, seconds: number): string {
  return `${name}${labels} ${value} ${Number(seconds.toFixed(3))}\n`;
}

export const EOF_LINE = '# EOF\n';
