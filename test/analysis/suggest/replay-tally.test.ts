import { describe, expect, it } from 'vitest';
import { replayTally } from '../../../src/analysis/suggest/replay-tally.js';
import type { Decision } from '../../../src/model/decision.js';
import type { NearMissFlow } from '../../../src/model/suggestion.js';
import { flow } from '../../support/builders.js';

const decided = (id: string, verdict: 'allow' | 'deny'): Decision & { id: string } => ({
  id, verdict, encrypted: true, decidedBy: { component: 'destination-ztunnel', name: 'node-1' }, policy: null, rule: null,
  reason: verdict === 'allow' ? 'allow-policy-matched' : 'no-allow-policy-matched',
});
const miss = (kind: NearMissFlow['kind'], id: string): NearMissFlow => ({ kind, flow: flow('a/x', 'a/y:80', { id }) });

describe('replayTally()', () => {
  it('agrees when every admitted flow is allowed and validation found nothing; flows denied before are not counted', () => {
    const t = replayTally(new Set(['a', 'b']), [decided('a', 'allow'), decided('b', 'allow'), decided('strict', 'deny')], [{ miss: miss('port', 'm1'), verdict: 'deny' }, { miss: miss('path', 'm2'), verdict: 'allow' }], []);
    expect(t.agrees).toBe(true);
    expect(t.observed).toEqual({ flows: 2, allowed: 2, denied: [] });
    expect(t.nearMisses).toMatchObject({ flows: 2, denied: 1, allowed: ['m2'], byKind: { port: { flows: 1, denied: 1 }, path: { flows: 1, denied: 0 }, method: { flows: 0, denied: 0 } } });
  });

  it('disagrees when an admitted flow is denied, naming it', () => {
    const t = replayTally(new Set(['a', 'b']), [decided('a', 'allow'), decided('b', 'deny')], [], []);
    expect(t.agrees).toBe(false);
    expect(t.observed).toEqual({ flows: 2, allowed: 1, denied: ['b'] });
  });

  it('disagrees when validate reports the suggestion', () => {
    expect(replayTally(new Set(), [], [], [{ severity: 'warning', code: 'x', message: 'm' }]).agrees).toBe(false);
  });
});
