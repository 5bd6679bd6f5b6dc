import type { Decision } from '../../model/decision.js';
import type { NearMissFlow, NearMissKind, SuggestionReplay } from '../../model/suggestion.js';

const KINDS: readonly NearMissKind[] = ['principal', 'port', 'method', 'path'];

/**
 * The replay's figures: of the flows the suggestion must admit (`admitted`, by id), how many the
 * cluster plus the suggestion allows, and how many near misses it denies. It agrees when every
 * admitted flow is allowed and validation found nothing.
 */
export function replayTally(
  admitted: ReadonlySet<string>,
  observed: readonly (Decision & { readonly id: string })[],
  nearMisses: readonly { readonly miss: NearMissFlow; readonly verdict: Decision['verdict'] }[],
  validation: SuggestionReplay['validation'],
): SuggestionReplay {
  const denied = observed.filter((r) => admitted.has(r.id) && r.verdict === 'deny').map((r) => r.id);
  const byKind = Object.fromEntries(KINDS.map((k) => [k, { flows: 0, denied: 0 }])) as Record<NearMissKind, { flows: number; denied: number }>;
  const allowed: string[] = [];
  for (const { miss, verdict } of nearMisses) {
    const tally = byKind[miss.kind];
    tally.flows++;
    if (verdict === 'deny') tally.denied++;
    else allowed.push(miss.flow.id);
  }
  return {
    observed: { flows: admitted.size, allowed: admitted.size - denied.length, denied },
    nearMisses: {
      flows: nearMisses.length, denied: nearMisses.length - allowed.length, allowed, byKind,
      list: nearMisses.map(({ miss, verdict }) => ({ kind: miss.kind, flow: miss.flow, verdict })),
    },
    validation,
    agrees: denied.length === 0 && validation.length === 0,
  };
}
