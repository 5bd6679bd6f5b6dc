/**
 * Values on both sides of a policy's boundary: for each value a rule names, samples that match it and
 * near misses that do not (istio/api authorization_policy.proto string forms: exact, `prefix*`,
 * `*suffix`, `*` presence; path templates `{*}` and `{**}`).
 */
export interface Samples {
  readonly inside: readonly string[];
  readonly outside: readonly string[];
}

/** Samples for a string pattern (header value, host, namespace): exact, prefix, suffix or presence. */
export function stringSamples(pattern: string): Samples {
  if (pattern === '*') return { inside: ['x'], outside: [] };
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return { inside: [prefix, `${prefix}x`], outside: [prefix.slice(0, -1), `x${prefix}`].filter((v) => v !== '') };
  }
  if (pattern.startsWith('*')) {
    const suffix = pattern.slice(1);
    return { inside: [`x${suffix}`], outside: [suffix.slice(1), `${suffix}x`].filter((v) => v !== '') };
  }
  return { inside: [pattern], outside: [`${pattern}x`, pattern.slice(0, -1)].filter((v) => v !== '') };
}

/** Samples for a path pattern: exact, `prefix*`, `*suffix`, `*`, or a `{*}` / `{**}` template. */
export function pathSamples(pattern: string): Samples {
  if (pattern.includes('{*}') || pattern.includes('{**}')) return templateSamples(pattern);
  if (pattern === '*') return { inside: ['/'], outside: [] };
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    // `/api/*` matches `/api/` and below; `/api` and `/apix` are just outside.
    const trimmed = prefix.slice(0, -1);
    return { inside: [`${prefix}x`, prefix], outside: [trimmed, `${trimmed}x`].filter((p) => p !== '' && !p.startsWith(prefix)) };
  }
  if (pattern.startsWith('*')) {
    const suffix = pattern.slice(1);
    return { inside: [`/x${suffix}`], outside: [`/x${suffix}x`, `/x${suffix.slice(1)}`] };
  }
  const outside = [`${pattern}/x`, `${pattern}x`, pattern.length > 1 ? pattern.slice(0, -1) : '/x'];
  return { inside: [pattern], outside: outside.filter((p) => p !== pattern) };
}

/** `{*}` is one segment, `{**}` the rest of the path; near misses add a segment in front, or change `{*}` to two or none. */
function templateSamples(pattern: string): Samples {
  const one = pattern.replaceAll('{**}', 'x/y').replaceAll('{*}', 'x');
  const outside = [`/x${one}`];
  if (pattern.includes('{*}')) outside.push(pattern.replaceAll('{**}', 'x').replaceAll('{*}', 'x/y'), one.replace(/\/[^/]*$/, ''));
  return { inside: [one], outside: outside.filter((p) => p !== one && p !== '') };
}

/** A port, and the port numbers on either side of it. */
export function portSamples(port: number): { readonly inside: readonly number[]; readonly outside: readonly number[] } {
  return { inside: [port], outside: [port - 1, port + 1].filter((p) => p >= 1 && p <= 65535) };
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'];

/** A method, and one that differs (the next in GET, POST, PUT, DELETE, PATCH, HEAD; its lower case otherwise). */
export function methodSamples(method: string): Samples {
  if (method === '*') return { inside: ['GET'], outside: [] };
  const i = METHODS.indexOf(method);
  const other = i >= 0 ? (METHODS[(i + 1) % METHODS.length] as string) : method.toLowerCase() === method ? 'GET' : method.toLowerCase();
  return { inside: [method], outside: [other] };
}
