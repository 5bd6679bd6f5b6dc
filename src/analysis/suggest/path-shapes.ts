import { normalizePath } from '../../match/path-match.js';

/** Distinct values in one segment position at which the paths become a `{*}` template. */
export const TEMPLATE_AT = 3;

/** Distinct patterns below one two-segment prefix at which they become `prefix/{**}`. */
export const PREFIX_AT = 5;

/** Literal characters a path template may hold (istio/istio pilot/pkg/security/authz/model `CheckValidPathTemplate`). */
const TEMPLATE_LITERAL = /^[A-Za-z0-9\-._~!$&'()+,;=:@/%]*$/;

/**
 * The `paths` values that admit every observed path and little more: paths that differ in one segment
 * only, with at least {@link TEMPLATE_AT} distinct values there, become one template with `{*}` in that
 * segment (`{*}` matches exactly one segment: istio/istio pilot/pkg/security/authz/model/generator.go
 * `pathGenerator`, Envoy `uri_template`); then {@link PREFIX_AT} or more patterns of different depths
 * below the same first two segments become `/<a>/<b>/{**}` (`{**}` matches the rest of the path);
 * the rest stay exact. The query string is dropped, as Envoy
 * matches the path without it. Sorted, without duplicates.
 */
export function generalisePaths(observed: Iterable<string>): string[] {
  const exact = new Set<string>();
  const templatable = new Set<string>();
  for (const raw of observed) {
    const path = normalizePath(raw);
    if (TEMPLATE_LITERAL.test(path) && path.startsWith('/')) templatable.add(path);
    else exact.add(safeExact(path));
  }
  let patterns = [...templatable];
  const longest = Math.max(0, ...patterns.map((p) => p.split('/').length));
  for (let at = longest - 1; at >= 1; at--) patterns = templateAt(patterns, at);
  patterns = underPrefixes(patterns);
  return [...new Set([...patterns, ...exact])].sort();
}

/** Collapses, at segment `at`, every group of patterns equal elsewhere and with enough distinct values there. */
function templateAt(patterns: readonly string[], at: number): string[] {
  const groups = new Map<string, Set<string>>();
  for (const p of patterns) {
    const segments = p.split('/');
    if (segments.length <= at || segments[at] === '' || segments[at] === '{*}') {
      groups.set(`=${p}`, new Set([p]));
      continue;
    }
    const key = [...segments.slice(0, at), '{*}', ...segments.slice(at + 1)].join('/');
    const members = groups.get(key) ?? new Set<string>();
    members.add(p);
    groups.set(key, members);
  }
  const out: string[] = [];
  for (const [key, members] of groups) {
    if (!key.startsWith('=') && members.size >= TEMPLATE_AT) out.push(key);
    else out.push(...members);
  }
  return out;
}

/** Collapses many patterns of different depths below one `/<a>/<b>/` into `/<a>/<b>/{**}`. */
function underPrefixes(patterns: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  const out: string[] = [];
  for (const p of patterns) {
    const segments = p.split('/');
    if (segments.length < 4 || segments[1] === '' || segments[2] === '' || segments[1]?.includes('{') || segments[2]?.includes('{')) {
      out.push(p);
      continue;
    }
    const prefix = segments.slice(0, 3).join('/');
    groups.set(prefix, [...(groups.get(prefix) ?? []), p]);
  }
  for (const [prefix, members] of groups) {
    const depths = new Set(members.map((m) => m.split('/').length));
    if (members.length >= PREFIX_AT && depths.size > 1) out.push(`${prefix}/{**}`);
    else out.push(...members);
  }
  return out;
}

/**
 * An exact path that admission and the lints would not take as written: `{`/`}` outside a template
 * is rejected, and `*` inside a path is a literal (authorization_policy.proto string forms); such a
 * path is admitted by the prefix before that character.
 */
function safeExact(path: string): string {
  const cut = path.slice(1).search(/[{}*]/);
  if (cut < 0 || path.length === 0) return path === '' ? '/' : path;
  return `${path.slice(0, cut + 1)}*`;
}
