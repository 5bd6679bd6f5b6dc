import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translateForZtunnel } from '../../src/istiod/translate-for-ztunnel.js';
import { authorizeAtZtunnel, compileZtunnelAuthorization } from '../../src/dataplane/authz/ztunnel-rbac.js';
import { IdentityTable } from '../../src/dataplane/identity-table.js';
import { ipv4Of } from '../../src/dataplane/ipv4.js';
import { SharedPolicies, ZtunnelTable } from '../../src/dataplane/ztunnel-table.js';
import type { AuthorizationPolicy } from '../../src/model/cluster.js';
import type { Rule } from '../../src/model/policy.js';
import { allow, deny } from '../support/builders.js';

const CTX = { rootNamespace: 'istio-system', istiodEnv: {} };
const compiled = (ps: readonly AuthorizationPolicy[]) => ps.map((p) => {
  const a = translateForZtunnel(p, CTX).authorization;
  if (!a) throw new Error('not sent to ztunnel');
  return compileZtunnelAuthorization(a);
});

const IDENTITIES = [null, 'spiffe://cluster.local/ns/shop/sa/client', 'spiffe://cluster.local/ns/pay/sa/api', 'spiffe://cluster.local/ns/ops/sa/admin'];
const ADDRESSES = ['10.100.1.1', '10.100.200.9', '10.101.0.7', '192.168.3.4', '10.0.2.1'];
const PORTS = [80, 8080, 9090, 1234];

interface Connection { readonly identity: string | null; readonly src: string; readonly dst: string; readonly port: number }

/** A table over `policies` and a function that decides one connection on it, as the verdict path calls it. */
function tableFor(policies: readonly AuthorizationPolicy[]): (c: Connection) => ReturnType<ZtunnelTable['decide']> {
  const identities = new IdentityTable();
  const table = new ZtunnelTable(compiled(policies), new SharedPolicies(identities));
  return (c) => table.decide(identities.intern(c.identity), ipv4Of(c.src), ipv4Of(c.dst), c.port);
}

const ruleArb: fc.Arbitrary<Rule> = fc.record({
  namespaces: fc.subarray(['shop', 'pay', 'ops']),
  notNamespaces: fc.subarray(['shop', 'pay']),
  ipBlocks: fc.subarray(['10.100.0.0/16', '10.101.0.0/20', '192.168.0.0/16']),
  notIpBlocks: fc.subarray(['10.100.200.0/24']),
  ports: fc.subarray(['8080', '9090']),
  notPorts: fc.subarray(['1234']),
}, { requiredKeys: [] }).map(({ ports, notPorts, ...source }) => ({
  from: Object.keys(source).length > 0 ? [{ source }] : undefined,
  to: ports !== undefined || notPorts !== undefined ? [{ operation: { ports, notPorts } }] : undefined,
}) as Rule);

const policiesArb = fc.array(fc.tuple(fc.boolean(), fc.array(ruleArb, { maxLength: 3 })), { minLength: 1, maxLength: 4 })
  .map((ps) => ps.map(([isDeny, rules], i) => (isDeny ? deny(`pay/d${i}`, rules) : allow(`pay/a${i}`, rules))));

const connectionArb: fc.Arbitrary<Connection> = fc.record({
  identity: fc.constantFrom(...IDENTITIES), src: fc.constantFrom(...ADDRESSES), dst: fc.constantFrom(...ADDRESSES), port: fc.constantFrom(...PORTS),
});

describe('ZtunnelTable looks outcomes up by identity and connection class', () => {
  it('gives the string matcher\'s outcome for every connection, whether first seen or looked up again', () => {
    fc.assert(fc.property(policiesArb, fc.array(connectionArb, { minLength: 1, maxLength: 30 }), (policies, connections) => {
      const decide = tableFor(policies);
      const strings = compiled(policies);
      for (const c of [...connections, ...connections]) {
        const expected = authorizeAtZtunnel(strings, { srcIdentity: c.identity, srcIp: c.src, dstIp: c.dst, dstPort: c.port });
        const got = decide(c);
        expect({ verdict: got.verdict, reason: got.reason, policy: got.policy, rule: got.rule })
          .toEqual({ verdict: expected.verdict, reason: expected.reason, policy: expected.policy, rule: expected.rule });
      }
    }), { numRuns: 300, seed: 20261202 });
  });

  it('tells apart sources inside and outside an ipBlock for the same identity and port', () => {
    const decide = tableFor([allow('pay/a', [{ from: [{ source: { ipBlocks: ['10.100.0.0/16'] } }] }])]);
    const at = (src: string) => decide({ identity: IDENTITIES[1] as string, src, dst: '10.0.2.1', port: 8080 }).verdict;
    expect([at('10.100.1.1'), at('10.200.1.1'), at('10.100.1.1'), at('10.200.1.1')]).toEqual(['allow', 'deny', 'allow', 'deny']);
  });

  it('tells apart a listed port from the others, and the others from each other not at all', () => {
    const decide = tableFor([deny('pay/d', [{ to: [{ operation: { ports: ['9090'] } }] }])]);
    const at = (port: number) => decide({ identity: null, src: '10.0.1.1', dst: '10.0.2.1', port }).verdict;
    expect([at(9090), at(80), at(9090), at(8080)]).toEqual(['deny', 'allow', 'deny', 'allow']);
  });

  it('decides a NaN port as the string matcher does', () => {
    const decide = tableFor([deny('pay/d', [{ to: [{ operation: { notPorts: ['9090'] } }] }])]);
    expect(decide({ identity: null, src: '10.0.1.1', dst: '10.0.2.1', port: NaN }).verdict).toBe('deny');
  });
});
