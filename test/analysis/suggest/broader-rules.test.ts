import { describe, expect, it } from 'vitest';
import { broaderRules } from '../../../src/analysis/suggest/broader-rules.js';
import { policyCoverage } from '../../../src/analysis/policy-coverage.js';
import { evaluateFlow } from '../../../src/dataplane/evaluate-flow.js';
import { prepareMesh } from '../../../src/index.js';
import { allow, ambientNamespace, cluster, flow, pod, service } from '../../support/builders.js';

const c = cluster([
  ambientNamespace('a'), pod('a/x', '10.0.0.1'), pod('a/api', '10.0.0.2'), pod('a/db', '10.0.0.3'),
  service('a/api', '10.96.0.2'), service('a/db', '10.96.0.3'),
  allow('a/api-open', [{}], { selector: { matchLabels: { app: 'api' } } }),
  allow('a/db-callers', [
    { from: [{ source: { principals: ['cluster.local/ns/a/sa/x'] } }] },
    { from: [{ source: { principals: ['cluster.local/ns/a/sa/api'] } }], to: [{ operation: { ports: ['8080'] } }] },
    { to: [{ operation: { methods: ['GET'] } }] },
  ], { selector: { matchLabels: { app: 'db' } } }),
]);

function broader() {
  const index = prepareMesh(c);
  const results = [flow('a/x', 'a/api:80'), flow('a/x', 'a/db:80')].map((f) => evaluateFlow(f, index).result);
  return broaderRules(policyCoverage(index.mesh, results), c.authorizationPolicies, results);
}

describe('broaderRules()', () => {
  it('lists rules no flow hit and rules istiod drops for ztunnel (authorization.go convertAuthorizationPolicy)', () => {
    expect(broader()).toEqual(expect.arrayContaining([
      { policy: 'a/db-callers', rule: 1, enforcedBy: 'ztunnel', why: 'no-flow-hit' },
      { policy: 'a/db-callers', rule: 2, enforcedBy: 'ztunnel', why: 'dropped-for-ztunnel' },
    ]));
  });

  it('lists a rule that admitted observed flows while naming no source or no operation, with those sources', () => {
    const list = broader();
    expect(list).toContainEqual({ policy: 'a/api-open', rule: 0, enforcedBy: 'ztunnel', why: 'any-source', sources: ['a/x'] });
    expect(list).toContainEqual({ policy: 'a/api-open', rule: 0, enforcedBy: 'ztunnel', why: 'any-operation', sources: ['a/x'] });
    expect(list).toContainEqual({ policy: 'a/db-callers', rule: 0, enforcedBy: 'ztunnel', why: 'any-operation', sources: ['a/x'] });
    expect(list.filter((b) => b.policy === 'a/db-callers' && b.rule === 0 && b.why === 'any-source')).toEqual([]);
  });
});
