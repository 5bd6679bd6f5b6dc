/** How a `when` condition on a JWT claim reads the validated token (istio/istio pilot/pkg/security/authz). */

/**
 * The JWT payload path a `when` key reads: `request.auth.claims[a][b]` nested claims
 * (model/util.go `extractNameInNestedBrackets`), `request.auth.audiences` the `aud` claim and
 * `request.auth.presenter` the `azp` claim (model/generator.go); null for any other key.
 */
export function claimPath(key: string): readonly string[] | null {
  if (key === 'request.auth.audiences') return ['aud'];
  if (key === 'request.auth.presenter') return ['azp'];
  const m = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  return m ? (m[1] as string).split('][') : null;
}

/** The value at `path` in the token's claims: undefined when a step is missing or not an object. */
export function claimValue(claims: Readonly<Record<string, unknown>> | undefined, path: readonly string[]): unknown {
  let v: unknown = claims;
  for (const k of path) {
    // Own keys only: a claim named like an Object.prototype member is absent unless the token has it.
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/**
 * The strings a claim offers to the match: Istio matches a claim with an Envoy metadata matcher that
 * takes a string value, or a list with any element that matches (matcher/metadata.go
 * `MetadataListValueMatcher` with useExtendedJwt: OrMatch of a ListMatch `oneOf` and the value
 * matcher). A number, boolean or object is no string, so it matches nothing; null when absent.
 */
export function claimStrings(v: unknown): readonly string[] | null {
  if (v === undefined) return null;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}
