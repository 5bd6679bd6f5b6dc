import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { policyCoverage } from '../../src/analysis/policy-coverage.js';
import { prepareMesh } from '../../src/index.js';
import { allow, ambientNamespace, cluster, flow, pod, service } from '../support/builders.js';

const c = cluster([
  ambientNamespace('a'), pod('a/x', '10.0.0.1'), pod('a/api', '10.0.0.2'), pod('a/open', '10.0.0.3'),
  service('a/api', '10.96.0.2'), service('a/open', '10.96.0.3'),
  allow('a/api-callers', [
    { from: [{ source: { principals: ['cluster.local/ns/a/sa/x'] } }] },
    { from: [{ source: { namespaces: ['b'] } }] },
    { to: [{ operation: { methods: ['GET'] } }] },
  ], { selector: { matchLabels: { app: 'api' } } }),
  allow('a/dry', [{}], { selector: { matchLabels: { app: 'open' } } }),
]);
const dry = { ...c, authorizationPolicies: c.authorizationPolicies.map((p) => (p.meta.ref.name === 'dry' ? { ...p, meta: { ...p.meta, annotations: { 'istio.io/dry-run': 'true' } } } : p)) };

function coverage(flows: ReturnType<typeof flow>[]) {
  const index = prepareMesh(dry);
  return policyCoverage(index.mesh, flows.map((f) => evaluateFlow(f, index).result));
}

describe('policyCoverage()', () => {
  it('counts a rule as hit when it decided a flow, and lists the rules no flow hit', () => {
    const cov = coverage([flow('a/x', 'a/api:80')]);
    expect(cov).toMatchObject({ rules: 2, hit: 1 });
    expect(cov.unhit).toEqual([{ policy: 'a/api-callers', rule: 1, action: 'ALLOW', enforcedBy: 'ztunnel' }]);
  });

  it('lists ALLOW rules istiod drops for ztunnel apart, and leaves dry-run policies out', () => {
    const cov = coverage([]);
    expect(cov.dropped).toEqual([{ policy: 'a/api-callers', rule: 2, action: 'ALLOW', enforcedBy: 'ztunnel' }]);
    expect([...cov.unhit, ...cov.dropped].map((r) => r.policy)).not.toContain('a/dry');
  });

  it('names the allowed flows no ALLOW policy matched, with why they were allowed', () => {
    const cov = coverage([flow('a/x', 'a/api:80'), flow('a/x', 'a/open:80', { id: 'open' }), flow('a/x', 'pod:a/api:8080', { id: 'udp', protocol: 'udp' })]);
    expect(cov.allowedWithoutPolicy).toEqual([{ id: 'open', reason: 'no-allow-policies' }, { id: 'udp', reason: 'not-captured-udp' }]);
  });
});
