import type { StringMatch } from '../model/mesh.js';
import { stringMatches, toStringMatch } from './string-match.js';

/** A compiled `paths` value: a string form, or a path template with `{*}` and `{**}`. */
export type PathMatcher = { readonly kind: 'string'; readonly match: StringMatch } | { readonly kind: 'template'; readonly regex: RegExp };

/**
 * Compiles an AuthorizationPolicy path: exact, `prefix*`, `*suffix`, `*`, or a template where `{*}`
 * matches one segment and `{**}` the rest (istio/istio:pilot/pkg/security/authz/model/generator.go
 * `pathGenerator`, matcher/string.go; Envoy uri_template). A `*` in the middle is a literal.
 */
export function compilePath(path: string): PathMatcher {
  if (!path.includes('{')) return { kind: 'string', match: toStringMatch(path) };
  const parts = path.split(/(\{\*\*\}|\{\*\})/);
  const body = parts.map((p) => (p === '{*}' ? '[^/]+' : p === '{**}' ? '.*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return { kind: 'template', regex: new RegExp(`^${body}$`) };
}

/** The path Envoy matches: without the query string or fragment. */
export function normalizePath(path: string): string {
  const q = path.search(/[?#]/);
  return q < 0 ? path : path.slice(0, q);
}

export function pathMatches(m: PathMatcher, path: string): boolean {
  return m.kind === 'string' ? stringMatches(m.match, path) : m.regex.test(path);
}
