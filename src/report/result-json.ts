import type { FlowResult, Hop, Step } from '../model/result.js';

/** JSON of steps that results share (an enforcement point's step for one outcome), by identity. */
const shared = new WeakMap<object, string>();

/**
 * `JSON.stringify(result)`, byte for byte, for a result in the contract's shape (model/result.ts;
 * every producer writes a hop's and a step's fields in the order of their interfaces), written field
 * by field: JSON.stringify is called only on strings and on values of open shape (a step's detail
 * and near miss, a recorded origin).
 */
export function resultJson(r: FlowResult): string {
  let json = `{"id":${JSON.stringify(r.id)}`;
  json = member(json, 'source', r.source);
  json = member(json, 'destination', r.destination);
  json = member(json, 'verdict', r.verdict);
  json = member(json, 'encrypted', r.encrypted);
  json += `,"decidedBy":{"component":${JSON.stringify(r.decidedBy.component)},"name":${JSON.stringify(r.decidedBy.name)}}`;
  json = member(json, 'policy', r.policy);
  json = member(json, 'rule', r.rule);
  json = member(json, 'reason', r.reason);
  json += `,"hops":${hopsJson(r.hops)},"steps":${stepsJson(r.steps)}`;
  json = member(json, 'appTls', r.appTls);
  json = member(json, 'origin', r.origin);
  if (r.time !== undefined) json = timelineMembers(json, r);
  return `${json}}`;
}

/** The fields of a timeline run's result (DESIGN.md "Timeline"), after the contract's own. */
function timelineMembers(json: string, r: FlowResult): string {
  return member(member(member(member(json, 'time', r.time), 'phase', r.phase), 'closedAt', r.closedAt), 'closedReason', r.closedReason);
}

/** One more member, left out when its value is undefined (as JSON.stringify leaves it out). */
function member(json: string, key: string, value: unknown): string {
  const v = JSON.stringify(value);
  return v === undefined ? json : `${json},"${key}":${v}`;
}

function hopsJson(hops: readonly Hop[]): string {
  let json = '[';
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i] as Hop;
    json += `${i === 0 ? '' : ','}{"from":${JSON.stringify(h.from)},"to":${JSON.stringify(h.to)},"transport":${JSON.stringify(h.transport)},"peerIdentity":${JSON.stringify(h.peerIdentity)}}`;
  }
  return `${json}]`;
}

function stepsJson(steps: readonly Step[]): string {
  let json = '[';
  for (let i = 0; i < steps.length; i++) json += (i === 0 ? '' : ',') + stepJson(steps[i] as Step);
  return `${json}]`;
}

/** A step; one whose JSON was written before (a shared step has no per-flow detail) is reused. */
function stepJson(s: Step): string {
  if (s.detail === undefined && s.nearMiss === undefined) {
    let json = shared.get(s);
    if (json === undefined) shared.set(s, (json = stepText(s)));
    return json;
  }
  return stepText(s);
}

function stepText(s: Step): string {
  let json = `{"at":${JSON.stringify(s.at)},"code":${JSON.stringify(s.code)},"effect":${JSON.stringify(s.effect)}`;
  json = member(json, 'policy', s.policy);
  json = member(json, 'rule', s.rule);
  json = member(json, 'nearMiss', s.nearMiss);
  if (s.detail !== undefined) json += `,"detail":${detailJson(s.detail)}`;
  return `${json}}`;
}

/** A detail's values are strings, numbers, booleans or null; keys in their own order, as JSON.stringify writes them. */
function detailJson(detail: NonNullable<Step['detail']>): string {
  let json = '{';
  let first = true;
  for (const key in detail) {
    const v = JSON.stringify(detail[key]);
    if (v === undefined) continue;
    json += `${first ? '' : ','}${JSON.stringify(key)}:${v}`;
    first = false;
  }
  return `${json}}`;
}
