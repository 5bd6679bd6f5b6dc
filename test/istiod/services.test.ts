import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelsMatch } from '../../src/match/labels.js';
import { resolveMesh } from '../../src/istiod/resolve-mesh.js';
import { cluster, namespace, pod, service } from '../support/builders.js';

const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'version'), fc.constantFrom('a', 'b', ''), { maxKeys: 3 });
const pods = fc.array(fc.record({ ns: fc.constantFrom('x', 'y'), labels, ip: fc.boolean() }), { maxLength: 12 });
const services = fc.array(fc.record({ ns: fc.constantFrom('x', 'y'), selector: labels }), { maxLength: 6 });

describe('buildServices() gives each Service the pods its selector selects', () => {
  it('the pods of its namespace with an IP whose labels carry the selector, in pod order; none for an empty selector', () => {
    fc.assert(fc.property(pods, services, (podSpecs, serviceSpecs) => {
      const ps = podSpecs.map((p, i) => ({ ...pod(`${p.ns}/p${i}`, `10.0.0.${i + 1}`, { labels: p.labels }), ips: p.ip ? [`10.0.0.${i + 1}`] : [] }));
      const ss = serviceSpecs.map((s, i) => service(`${s.ns}/s${i}`, `10.96.0.${i + 1}`, { selector: s.selector }));
      const mesh = resolveMesh(cluster([namespace('x'), namespace('y'), ...ps, ...ss]));
      for (const [i, s] of ss.entries()) {
        const selector = s.selector ?? {};
        const want = Object.keys(selector).length === 0 ? [] : ps
          .filter((p) => p.meta.ref.namespace === s.meta.ref.namespace && p.ips.length > 0 && labelsMatch(selector, p.meta.labels))
          .map((p) => `${p.meta.ref.namespace}/${p.meta.ref.name}`);
        expect(mesh.services[i]?.endpoints).toEqual(want);
      }
    }), { numRuns: 300 });
  });
});
