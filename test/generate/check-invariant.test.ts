import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifestFiles } from '../../src/files.js';
import { checkInvariant, invariant, noChangeUnder, noPlaintextInto, onlyReachable } from '../../src/generate/index.js';
import { prepareMesh } from '../../src/index.js';
import type { Cluster } from '../../src/model/cluster.js';
import { renderInvariantCheck } from '../../src/report/invariant-text.js';
import { assertInvariant } from '../../src/testing/index.js';
import { makeStyle } from '../../src/report/style.js';

const DEMO = 'scenarios/demo/cluster';
let demo: Cluster;
beforeAll(async () => {
  demo = (await loadManifestFiles([DEMO])).cluster;
});

const text = (outcome: Parameters<typeof renderInvariantCheck>[0]) => renderInvariantCheck(outcome, { style: makeStyle(false), manifests: [DEMO] });

/** "The storefront can open the admin console": broken by a sidecar-era ALLOW whose HTTP rule istiod drops for ztunnel. */
const storefrontOpensAdmin = invariant('storefront can open the admin console', (f, r) =>
  f.source.workload !== 'frontend/storefront' || !r.destination.startsWith('frontend/admin-console') || f.protocol === 'udp' || r.verdict === 'allow',
  { sources: ['frontend/storefront'], destinations: ['frontend/admin-console'] });

describe('checkInvariant() on the bundled demo', () => {
  it.each([1, 2, 3, 4, 5])('finds plaintext into STRICT fintech-core from the host network of its own node (istio-cni iptables.go: host traffic is SNATed to 169.254.7.127 and not redirected) within 1,000 runs, shrunk to one TCP flow to a declared port (seed %i)', (seed) => {
    const outcome = checkInvariant(demo, noPlaintextInto('fintech-core'), { seed, numRuns: 1000 });
    expect(outcome.passed).toBe(false);
    const c = outcome.counterexample;
    expect(c?.result).toMatchObject({ verdict: 'allow', encrypted: false, reason: 'not-captured-same-node-host' });
    expect(c?.flow).toMatchObject({ protocol: 'tcp', destination: { service: 'fintech-core/payment-processor', port: 80 } });
    expect(c?.flow.source.ip).toBeDefined();
    expect(c?.result.hops).toHaveLength(1);
    expect(text(outcome)).toMatch(/skips ztunnel \(kubelet-probe rule\)/);
    expect(c?.policies).toEqual([]);
  });

  it('holds over 5,000 flows from pods and external clients to the ports and protocols the demo declares: no UDP port is declared in fintech-core', () => {
    expect(checkInvariant(demo, noPlaintextInto('fintech-core'), { seed: 1, numRuns: 5000, flows: { nodes: false } })).toMatchObject({ passed: true, runs: 5000 });
  });

  it('finds UDP into fintech-core only when asked for undeclared ports: UDP to a port declared only for TCP, which kube-proxy would not deliver', () => {
    const outcome = checkInvariant(demo, noPlaintextInto('fintech-core'), { seed: 1, flows: { nodes: false, undeclaredPorts: true } });
    expect(outcome.counterexample?.result.reason).toBe('not-captured-udp');
    expect(outcome.counterexample?.flow.protocol).toBe('udp');
  });

  it('shrinks a policy-caused violation to the single TCP flow and the one policy that causes it, with its explanation', () => {
    const outcome = checkInvariant(demo, storefrontOpensAdmin, { seed: 1 });
    const c = outcome.counterexample;
    expect(c?.flow).toMatchObject({ source: { workload: 'frontend/storefront' }, destination: { service: 'frontend/admin-console', port: 80 }, protocol: 'tcp' });
    expect(c?.result).toMatchObject({ verdict: 'deny', reason: 'no-allow-policy-matched', decidedBy: { component: 'destination-ztunnel' } });
    expect(c?.policies).toEqual([{ kind: 'AuthorizationPolicy', namespace: 'frontend', name: 'admin-console-read-only' }]);
    expect(c?.policiesInCluster).toBe(8);
    const t = text(outcome);
    expect(t).toContain('dropped by istiod for ztunnel because it uses HTTP attributes');
    expect(t).toContain('replay the flow: ambient-bench explain -f scenarios/demo/cluster --from frontend/storefront --to frontend/admin-console:80 --id generated');
    expect(t).toContain(`seed 1, path "${outcome.path}"`);
  });

  it('holds over 10,000 generated TCP and HTTP flows from pods and external clients: only frontend and orders reach order-service', () => {
    const outcome = checkInvariant(demo, onlyReachable({ to: 'orders/order-service', from: ['frontend/*', 'orders/*'] }), { numRuns: 10_000, seed: 1, flows: { udp: false, nodes: false } });
    expect(outcome).toMatchObject({ passed: true, runs: 10_000, seed: 1 });
    expect(outcome.counterexample).toBeUndefined();
  });

  it('finds a predicate\'s violation in every one of 20 seeds when the predicate names its focus', () => {
    for (let seed = 1; seed <= 20; seed++) expect(checkInvariant(demo, storefrontOpensAdmin, { seed, minimise: false }).passed).toBe(false);
  });

  it('replays the same counterexample from its seed and path', () => {
    const first = checkInvariant(demo, storefrontOpensAdmin, { seed: 7 });
    const again = checkInvariant(demo, storefrontOpensAdmin, { seed: 7, path: first.path as string });
    expect(again.counterexample?.flow).toEqual(first.counterexample?.flow);
  });

  it('leaves the policies alone when told not to minimise, or when given a prepared mesh', () => {
    expect(checkInvariant(demo, storefrontOpensAdmin, { seed: 1, minimise: false }).counterexample?.policies).toBeUndefined();
    expect(checkInvariant(prepareMesh(demo), storefrontOpensAdmin, { seed: 1 }).counterexample?.policies).toBeUndefined();
  });
});

describe('checkInvariant() fails loudly when it can prove nothing', () => {
  it('fails an invariant about a namespace no workload or Service lives in, before drawing any flow', () => {
    const outcome = checkInvariant(demo, noPlaintextInto('fintech-cor'), { seed: 1 });
    expect(outcome).toMatchObject({ passed: false, runs: 0, problem: { kind: 'unknown-reference', refs: [{ field: 'namespace', ref: 'fintech-cor' }] } });
    expect(outcome.counterexample).toBeUndefined();
    expect(text(outcome)).toBe('✗ noPlaintextInto(fintech-cor) proves nothing: namespace "fintech-cor" has no workload or Service; check the names against the manifests\n');
  });

  it('fails onlyReachable naming a Service or sources the mesh does not have, listing each', () => {
    const outcome = checkInvariant(demo, onlyReachable({ to: 'orders/order-svc', from: ['frontend/*', 'ordrs/*', 'orders/checkout-service', 'orders/checkout'] }));
    expect(outcome.problem).toEqual({ kind: 'unknown-reference', refs: [
      { field: 'to', ref: 'orders/order-svc' }, { field: 'from', ref: 'ordrs/*' }, { field: 'from', ref: 'orders/checkout' },
    ] });
  });

  it('fails a custom predicate whose focus names nothing in the mesh', () => {
    const outcome = checkInvariant(demo, invariant('admin stays shut', () => true, { destinations: ['frontend/admin'] }));
    expect(outcome.problem).toEqual({ kind: 'unknown-reference', refs: [{ field: 'focus.destinations', ref: 'frontend/admin' }] });
  });

  it('fails a custom predicate that no generated flow exercises: UDP to payment-processor, whose ports are declared only for TCP', () => {
    const udpToProcessor = invariant('UDP never reaches payment-processor', (_f, r) => r.verdict === 'deny', {
      destinations: ['fintech-core/payment-processor'], when: (f) => f.protocol === 'udp',
    });
    const outcome = checkInvariant(demo, udpToProcessor, { seed: 1, numRuns: 500 });
    expect(outcome).toMatchObject({ passed: false, runs: 500, problem: { kind: 'never-exercised' } });
    expect(text(outcome)).toContain('proves nothing: none of 500 generated flows exercised it');
    const loose = checkInvariant(demo, udpToProcessor, { seed: 1, numRuns: 500, flows: { undeclaredPorts: true } });
    expect(loose.problem).toBeUndefined();
    expect(loose.passed).toBe(false);
  });

  it('passes a custom predicate that some generated flow exercises, and counts a predicate without when or focus as exercised by every flow', () => {
    const tcpToProcessor = invariant('TCP to payment-processor is decided', (_f, r) => r.verdict !== undefined, {
      destinations: ['fintech-core/payment-processor'], when: (f) => f.protocol !== 'udp',
    });
    expect(checkInvariant(demo, tcpToProcessor, { seed: 1 })).toMatchObject({ passed: true, runs: 100 });
    expect(checkInvariant(demo, invariant('every flow has a verdict', (_f, r) => r.verdict !== undefined), { seed: 1 }).passed).toBe(true);
  });

  it('makes assertInvariant throw with the reason it proves nothing', () => {
    expect(() => assertInvariant(demo, noPlaintextInto('nowhere'))).toThrow(/proves nothing: namespace "nowhere" has no workload or Service/);
  });
});

describe('checkInvariant() with custom predicates and what-if invariants', () => {
  it('reports the string a predicate returns', () => {
    const outcome = checkInvariant(demo, invariant('nothing is denied', (_f, r) => r.verdict === 'allow' || `denied by ${r.policy ?? 'default'}`), { seed: 3 });
    expect(outcome.counterexample?.message).toMatch(/^denied by /);
  });

  it('counts a predicate that throws as broken, with the error as its message', () => {
    const outcome = checkInvariant(demo, invariant('throws', () => {
      throw new Error('boom');
    }), { seed: 3 });
    expect(outcome.counterexample?.message).toBe('the predicate threw: boom');
  });

  it('finds a flow a what-if step changes, with its result before and after', () => {
    const strictOrders = noChangeUnder([{ kind: 'peerAuthentication', namespace: 'orders', mode: 'STRICT', source: { file: 'test', document: 0, line: 1 } }]);
    const outcome = checkInvariant(demo, strictOrders, { seed: 2, flows: { focus: { destinations: ['orders/*'] } } });
    const c = outcome.counterexample;
    expect(c?.before).toMatchObject({ verdict: 'allow', encrypted: false });
    expect(c?.result).toMatchObject({ verdict: 'deny', reason: 'strict-mtls-plaintext-denied' });
  });

  it('refuses a what-if invariant over a prepared mesh: its steps edit manifests', () => {
    expect(() => checkInvariant(prepareMesh(demo), noChangeUnder([]))).toThrow(/needs a Cluster/);
  });
});
