/** A half-open interval of simulated time, `[from, until)` in seconds; `until` may be Infinity. */
export interface TimeWindow {
  readonly from: number;
  readonly until: number;
}

/** The windows sorted by start, overlapping and touching ones joined, empty ones dropped. */
export function mergeWindows(windows: readonly TimeWindow[]): TimeWindow[] {
  const sorted = windows.filter((w) => w.until > w.from).sort((a, b) => a.from - b.from);
  const out: TimeWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && w.from <= last.until) out[out.length - 1] = { from: last.from, until: Math.max(last.until, w.until) };
    else out.push({ from: w.from, until: w.until });
  }
  return out;
}

/** The merged window containing `t`, or undefined when istiod is reachable at `t`. */
export function windowAt(merged: readonly TimeWindow[], t: number): TimeWindow | undefined {
  let lo = 0;
  let hi = merged.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = merged[mid]!;
    if (t < w.from) hi = mid - 1;
    else if (t >= w.until) lo = mid + 1;
    else return w;
  }
  return undefined;
}
