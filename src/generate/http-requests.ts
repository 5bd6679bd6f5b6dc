import fc from 'fast-check';
import type { HttpRequest } from '../model/flow.js';
import { methodSamples, pathSamples, stringSamples, type Samples } from './near-misses.js';
import type { PolicyVocabulary } from './policy-vocabulary.js';

/**
 * HTTP requests on both sides of every method, path, host and header value a policy names. Shrinks
 * toward `GET /` without host or headers.
 */
export function requestArbitrary(vocabulary: PolicyVocabulary): fc.Arbitrary<HttpRequest> {
  const methods = ['GET', ...flat(vocabulary.methods.map(methodSamples))];
  const paths = ['/', ...flat(vocabulary.paths.map(pathSamples))];
  const hosts = flat(vocabulary.hosts.map(stringSamples));
  const headers = [...vocabulary.headers].map(([name, values]) =>
    fc.option(fc.constantFrom(...flat(values.map(stringSamples)), ''), { nil: undefined }).map((v) => [name, v] as const));
  return fc.record({
    method: fc.constantFrom(...new Set(methods)),
    path: fc.constantFrom(...new Set(paths)),
    host: hosts.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...new Set(hosts)), { nil: undefined }),
    headers: fc.tuple(...headers),
  }).map(({ method, path, host, headers: hs }): HttpRequest => ({
    method, path, ...(host === undefined ? {} : { host }),
    headers: Object.fromEntries(hs.filter((h): h is readonly [string, string] => h[1] !== undefined && h[1] !== '')),
  }));
}

/** Inside samples first, then near misses, without duplicates. */
function flat(samples: readonly Samples[]): string[] {
  return [...new Set([...samples.flatMap((s) => s.inside), ...samples.flatMap((s) => s.outside)])];
}
