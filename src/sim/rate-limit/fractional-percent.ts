import type { FractionalPercent } from '../../model/rate-limit.js';

/**
 * Whether a feature set by a `RuntimeFractionalPercent` is on for one request, as Envoy decides it
 * (envoyproxy/envoy source/common/protobuf/utility.h `ProtobufPercentHelper::evaluateFractionalPercent`:
 * `random_value % denominator < numerator`). Null (field absent) is never on, as `FilterConfig::enabled`
 * and `enforced` treat it. `draw` gives a uniform number in [0, 1) and is only called for a share
 * strictly between 0 % and 100 %, so those two stay deterministic. No runtime layer is modelled: the
 * `runtime_key` is never overridden and `default_value` always applies.
 */
export function fractionOn(percent: FractionalPercent | null, draw: () => number): boolean {
  if (percent === null || percent.numerator <= 0) return false;
  if (percent.numerator >= percent.denominator) return true;
  return Math.floor(draw() * percent.denominator) < percent.numerator;
}

/** A small seeded generator (mulberry32) for reproducible partial percentages. */
export function seededDraw(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
