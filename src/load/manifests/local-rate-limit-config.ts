import type { FractionalPercent, LocalRateLimitConfig } from '../../model/rate-limit.js';
import type { PatchRateLimit } from '../../model/envoy-filter.js';

export const LOCAL_RATELIMIT_FILTER = 'envoy.filters.http.local_ratelimit';
const LOCAL_RATELIMIT_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const TYPED_STRUCTS = ['type.googleapis.com/udpa.type.v1.TypedStruct', 'type.googleapis.com/xds.type.v3.TypedStruct'];
const DENOMINATORS: Readonly<Record<string, FractionalPercent['denominator']>> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** Whether an HTTP filter patch value is the local rate limit filter, by its name or its typed_config type. */
export function isLocalRateLimit(value: Record<string, unknown>): boolean {
  return value['name'] === LOCAL_RATELIMIT_FILTER || typeOf(value['typed_config'] ?? value['typedConfig']) === LOCAL_RATELIMIT_TYPE;
}

/**
 * The `LocalRateLimit` message of a filter patch value (envoyproxy/envoy
 * api/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto), from a direct
 * `typed_config` or a `TypedStruct` wrapping it, in proto-JSON (snake_case or lowerCamel names).
 * What the simulator cannot run as Envoy would is `unmodelled` with the reason.
 */
export function readLocalRateLimit(value: Record<string, unknown>): PatchRateLimit {
  const typed = obj(value['typed_config'] ?? value['typedConfig']);
  if (!typed) return unmodelled('the filter has no typed_config');
  const type = typeOf(typed);
  let body: Record<string, unknown> | undefined = typed;
  if (type !== undefined && TYPED_STRUCTS.includes(type)) {
    const url = field(typed, 'type_url');
    if (url !== LOCAL_RATELIMIT_TYPE) return unmodelled(`its TypedStruct carries type_url "${String(url)}", not ${LOCAL_RATELIMIT_TYPE}`);
    body = obj(typed['value']) ?? {};
  } else if (type !== LOCAL_RATELIMIT_TYPE) return unmodelled(`its typed_config has @type "${String(type)}"`);
  return readBody(body);
}

function readBody(b: Record<string, unknown>): PatchRateLimit {
  const statPrefix = field(b, 'stat_prefix');
  // local_rate_limit.proto: `stat_prefix` has `(validate.rules).string = {min_len: 1}`; Envoy refuses the filter.
  if (typeof statPrefix !== 'string' || statPrefix === '') return unmodelled('stat_prefix is required (Envoy rejects the filter without it)');
  const bucket = obj(field(b, 'token_bucket'));
  // local_ratelimit.cc FilterConfig: with no token_bucket "no rate limiting is applied" at this level.
  if (!bucket) return unmodelled('it has no token_bucket, so it limits nothing by itself (route-level limits are not simulated)');
  const maxTokens = field(bucket, 'max_tokens');
  const perFill = field(bucket, 'tokens_per_fill') ?? 1;
  const interval = duration(field(bucket, 'fill_interval'));
  // type/v3/token_bucket.proto: max_tokens > 0, tokens_per_fill > 0, fill_interval > 0.
  if (!isCount(maxTokens) || maxTokens < 1) return unmodelled('token_bucket.max_tokens must be a positive integer');
  if (!isCount(perFill) || perFill < 1) return unmodelled('token_bucket.tokens_per_fill must be a positive integer');
  if (interval === undefined) return unmodelled('token_bucket.fill_interval must be a duration such as "60s"');
  // local_ratelimit_impl.cc: "local rate limit token bucket fill timer must be >= 50ms".
  if (interval < 0.05) return unmodelled('token_bucket.fill_interval must be at least 50ms (Envoy rejects the filter)');
  if (field(b, 'descriptors') !== undefined || field(b, 'rate_limits') !== undefined) return unmodelled('descriptors and rate_limits are not simulated');
  if (field(b, 'local_cluster_rate_limit') !== undefined) return unmodelled('local_cluster_rate_limit (sharing tokens across replicas) is not simulated');
  const enabled = percent(field(b, 'filter_enabled'));
  const enforced = percent(field(b, 'filter_enforced'));
  if (enabled === 'bad' || enforced === 'bad') return unmodelled('filter_enabled and filter_enforced need default_value with numerator and denominator HUNDRED, TEN_THOUSAND or MILLION');
  const config: LocalRateLimitConfig = {
    statPrefix, tokenBucket: { maxTokens, tokensPerFill: perFill, fillInterval: interval },
    filterEnabled: enabled, filterEnforced: enforced, status: status(field(b, 'status')),
    responseHeaders: headers(field(b, 'response_headers_to_add')),
    perConnection: field(b, 'local_rate_limit_per_downstream_connection') === true,
  };
  return { kind: 'limit', config };
}

function unmodelled(why: string): PatchRateLimit {
  return { kind: 'unmodelled', why };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function typeOf(v: unknown): string | undefined {
  const t = obj(v)?.['@type'];
  return typeof t === 'string' ? t : undefined;
}

/** A proto-JSON field by its snake_case name or its lowerCamel one. */
function field(m: Record<string, unknown>, snake: string): unknown {
  return m[snake] ?? m[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v <= 0xffff_ffff;
}

/** proto-JSON Duration: `"60s"`, `"0.5s"` (seconds with an `s` suffix). */
export function duration(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+(?:\.\d{1,9})?)s$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** `RuntimeFractionalPercent`: its `default_value`; the denominator defaults to HUNDRED. Absent is null. */
function percent(v: unknown): FractionalPercent | null | 'bad' {
  if (v === undefined) return null;
  const d = obj(field(obj(v) ?? {}, 'default_value'));
  if (!d) return 'bad';
  const n = d['numerator'] ?? 0;
  const den = DENOMINATORS[String(d['denominator'] ?? 'HUNDRED')];
  return isCount(n) && den !== undefined ? { numerator: n, denominator: den } : 'bad';
}

/** `status.code` (type/v3 HttpStatus): used when >= 400, else 429 (local_ratelimit.h `toErrorCode`). */
function status(v: unknown): number {
  const raw = obj(v)?.['code'];
  const code = typeof raw === 'string' ? STATUS_NAMES[raw] : raw;
  return typeof code === 'number' && code >= 400 ? code : 429;
}

/** A few `type.v3.StatusCode` enum names, as proto-JSON may spell the code. */
const STATUS_NAMES: Readonly<Record<string, number>> = {
  BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, TooManyRequests: 429,
  InternalServerError: 500, BadGateway: 502, ServiceUnavailable: 503, GatewayTimeout: 504,
};

function headers(v: unknown): LocalRateLimitConfig['responseHeaders'] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((h) => {
    const header = obj(obj(h)?.['header']);
    return typeof header?.['key'] === 'string' && typeof header['value'] === 'string' ? [{ key: header['key'], value: header['value'] }] : [];
  });
}
