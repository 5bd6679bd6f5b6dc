import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../../src/model/labels.js';
import { selectorMatches } from '../../src/match/labels.js';
import { selectorIndex } from '../../src/istiod/selector-index.js';

const key = fc.constantFrom('app', 'tier', 'version', 'constructor');
const value = fc.constantFrom('a', 'b', '');
const labels = fc.dictionary(key, value, { maxKeys: 4 });
const selector: fc.Arbitrary<LabelSelector | undefined> = fc.option(fc.record({
  matchLabels: labels,
  matchExpressions: fc.array(fc.record({ key, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), values: fc.array(value, { maxLength: 2 }) }), { maxLength: 2 }),
}, { requiredKeys: [] }), { nil: undefined });

describe('selectorIndex() finds what filtering with selectorMatches finds', () => {
  it('the same items, in the same order, for any selectors and labels', () => {
    fc.assert(fc.property(fc.array(fc.record({ id: fc.nat(), selector }), { maxLength: 12 }), fc.array(labels, { maxLength: 5 }), (items, labelSets) => {
      const matching = selectorIndex(items, (item) => item.selector);
      for (const l of labelSets) {
        expect(matching(l)).toEqual(items.filter((item) => item.selector !== undefined && selectorMatches(item.selector, l)));
      }
    }), { numRuns: 500 });
  });

  it('an item without a selector never matches; an empty selector matches everything', () => {
    const matching = selectorIndex([{ selector: undefined }, { selector: {} }, { selector: { matchLabels: { app: 'a' } } }], (item) => item.selector);
    expect(matching({ app: 'a' })).toHaveLength(2);
    expect(matching({})).toEqual([{ selector: {} }]);
  });
});
