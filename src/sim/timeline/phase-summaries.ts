import type { FlowResult, Summary } from '../../model/result.js';
import type { PhaseSummary } from '../../model/timeline.js';

/** Per phase mark, in time order: its interval and the counts of the flows that opened in it. */
export function phaseSummaries(marks: readonly { name: string; start: number }[], results: readonly FlowResult[], phaseOf: readonly number[]): PhaseSummary[] {
  return marks.map((mark, i) => {
    const own = results.filter((_, slot) => phaseOf[slot] === i);
    const counts = summarizeResults(own);
    return {
      name: mark.name, start: mark.start, end: marks[i + 1]?.start ?? null,
      flows: counts.flows, allowed: counts.allowed, denied: counts.denied, unencrypted: counts.unencrypted,
      closed: own.filter((r) => r.closedAt !== undefined).length,
    };
  });
}

/** Flow counts of a result list. */
export function summarizeResults(results: readonly FlowResult[]): Summary {
  let allowed = 0;
  let unencrypted = 0;
  for (const r of results) {
    if (r.verdict === 'allow') allowed++;
    if (!r.encrypted) unencrypted++;
  }
  return { flows: results.length, allowed, denied: results.length - allowed, unencrypted };
}
