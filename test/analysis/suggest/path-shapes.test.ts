import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generalisePaths, PREFIX_AT, TEMPLATE_AT } from '../../../src/analysis/suggest/path-shapes.js';
import { compilePath, pathMatches } from '../../../src/match/path-match.js';
import { validatePath } from '../../../src/istiod/admission/validate-values.js';

/** Whether some pattern admits the path, as the waypoint matches it (query string dropped). */
const admitted = (patterns: readonly string[], path: string): boolean =>
  patterns.some((p) => pathMatches(compilePath(p), path.replace(/[?#].*$/, '')));

describe('generalisePaths()', () => {
  it(`writes {*} for one segment where ${TEMPLATE_AT} or more paths differ only there (Istio path templates: {*} is one segment, pilot/pkg/security/authz/model/generator.go)`, () => {
    expect(generalisePaths(['/api/v1/payments/a1/capture', '/api/v1/payments/b2/capture', '/api/v1/payments/c3/capture'])).toEqual(['/api/v1/payments/{*}/capture']);
  });

  it(`writes prefix/{**} where ${PREFIX_AT} or more paths of different depths share their first two segments ({**} is the rest of the path)`, () => {
    expect(generalisePaths(['/api/v1/a/b', '/api/v1/c', '/api/v1/d/e/f', '/api/v1/g', '/api/v1/h/i', '/health'])).toEqual(['/api/v1/{**}', '/health']);
    expect(generalisePaths(['/api/v1/a/b', '/api/v1/c', '/api/v1/d/e/f', '/api/v1/g'])).toEqual(['/api/v1/a/b', '/api/v1/c', '/api/v1/d/e/f', '/api/v1/g']);
  });

  it('keeps paths exact when too few share a shape', () => {
    expect(generalisePaths(['/orders/1', '/orders/2', '/health'])).toEqual(['/health', '/orders/1', '/orders/2']);
  });

  it('templates two segments when both vary', () => {
    const paths = ['a', 'b', 'c'].flatMap((x) => ['1', '2', '3'].map((y) => `/t/${x}/items/${y}`));
    expect(generalisePaths(paths)).toEqual(['/t/{*}/items/{*}']);
  });

  it('drops the query string, as Envoy matches the path without it', () => {
    expect(generalisePaths(['/search?q=1', '/search?q=2'])).toEqual(['/search']);
  });

  it('admits a path istiod would not take as a template literal by the prefix before the odd character', () => {
    expect(generalisePaths(['/a/{x}'])).toEqual(['/a/*']);
  });

  it('admits every observed path, and every pattern passes istiod admission (CheckValidPathTemplate)', () => {
    const segment = fc.oneof(fc.constantFrom('api', 'v1', 'x', 'payments', '1', '2', '3', '{', '*', 'a b', '%41'), fc.string({ maxLength: 4 }));
    fc.assert(fc.property(fc.array(fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`), { minLength: 1, maxLength: 12 }), (paths) => {
      const patterns = generalisePaths(paths);
      for (const p of paths) expect(admitted(patterns, p), `${p} in ${JSON.stringify(patterns)}`).toBe(true);
      for (const pattern of patterns) {
        const errors: string[] = [];
        validatePath({ error: (code: string) => errors.push(code) } as never, pattern, 'paths');
        expect(errors, pattern).toEqual([]);
      }
    }), { numRuns: 300 });
  });
});
