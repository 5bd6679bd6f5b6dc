import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { clusterWithPolicies, flowsOver, smallAuthorizationPolicy, smallClusterFlow, smallRule, SMALL_APPS, SMALL_NAMESPACES } from '../../src/generate/index.js';
import { loadManifests, prepareMesh } from '../../src/index.js';
import type { AuthorizationPolicy, Cluster } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';
import type { FlowResult } from '../../src/model/result.js';
import { policy } from '../support/builders.js';

/**
 * Metamorphic relations of the engine: change the input in a way Istio's rules say cannot change
 * (or can only move one way) the outcome, and compare. Each cites the rule in
 * docs/ambient-semantics.md it rests on.
 */
const RUNS = 120;
const flows = fc.array(smallClusterFlow, { minLength: 1, maxLength: 8 });

function results(c: Cluster, fs: readonly Flow[]): FlowResult[] {
  const index = prepareMesh(c);
  return fs.map((f) => evaluateFlow(f, index).result);
}

function renamed<T extends AuthorizationPolicy>(p: T, prefix: string): T {
  return { ...p, meta: { ...p.meta, ref: { ...p.meta.ref, name: `${prefix}-${p.meta.ref.name}` } } };
}

describe('metamorphic relations over generated clusters', () => {
  it('adding a DENY policy never turns a denied flow into an allowed one (§2 assert_rbac: any DENY match denies; DENYs change no route)', () => {
    const denyPolicy = smallAuthorizationPolicy.map((p): AuthorizationPolicy => ({ ...renamed(p, 'extra'), spec: { ...p.spec, action: 'DENY' } }));
    fc.assert(fc.property(clusterWithPolicies(), denyPolicy, flows, (c, extra, fs) => {
      const before = results(c, fs);
      const after = results({ ...c, authorizationPolicies: [...c.authorizationPolicies, extra] }, fs);
      before.forEach((b, i) => {
        if (b.verdict === 'deny') expect(after[i]?.verdict).toBe('deny');
        expect(after[i]?.encrypted).toBe(b.encrypted);
      });
    }), { numRuns: RUNS });
  });

  it.each([['false'], ['true']])('a policy annotated istio.io/dry-run equals no policy (§2 dry-run: dropped, or only logged, AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=%s)', (flag) => {
    fc.assert(fc.property(clusterWithPolicies(), smallAuthorizationPolicy, flows, (c0, p, fs) => {
      const c = { ...c0, istiodEnv: { AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY: flag } };
      const dry: AuthorizationPolicy = { ...renamed(p, 'dry'), meta: { ...renamed(p, 'dry').meta, annotations: { 'istio.io/dry-run': 'true' } } };
      const outcome = (r: FlowResult) => [r.verdict, r.encrypted, r.reason, r.policy];
      expect(results({ ...c, authorizationPolicies: [...c.authorizationPolicies, dry] }, fs).map(outcome)).toEqual(results(c, fs).map(outcome));
    }), { numRuns: RUNS });
  });

  it('renaming namespaces consistently changes no verdict (§8: namespaces and principals are compared as strings; nothing else depends on the name)', () => {
    const names = fc.shuffledSubarray(['q', 'r', 's', 'team-q', 'payments'], { minLength: 3, maxLength: 3 });
    fc.assert(fc.property(clusterWithPolicies(), flows, names, (c, fs, to) => {
      const map = new Map(SMALL_NAMESPACES.map((n, i) => [n, to[i] as string]));
      const moved = fs.map((f) => ({ ...f, source: rename(f.source, map), destination: rename(f.destination, map) }));
      const before = results(c, fs);
      const after = results(rename(c, map), moved);
      expect(after.map((r) => [r.verdict, r.encrypted, r.reason, r.decidedBy.component, r.rule, r.policy]))
        .toEqual(before.map((r) => [r.verdict, r.encrypted, r.reason, r.decidedBy.component, r.rule, r.policy === null ? null : rename(r.policy, map)]));
    }), { numRuns: RUNS });
  });

  it('adding an ALLOW policy to a workload that has none can only deny more flows, only at that workload (§2 assert_rbac steps 4 and 6)', () => {
    fc.assert(fc.property(clusterWithPolicies(), fc.constantFrom(...SMALL_NAMESPACES), fc.constantFrom(...SMALL_APPS), fc.array(smallRule, { maxLength: 2 }), flows, (c, ns, app, rules, fs) => {
      const w = prepareMesh(c).workloadByUid.get(`${ns}/${app}`);
      fc.pre(w !== undefined && !prepareMesh(c).ztunnelPoliciesFor(w).some((p) => p.policy.action === 'ALLOW' && !p.policy.dryRun));
      const added = policy(`${ns}/added-allow`, { action: 'ALLOW', rules, selector: { matchLabels: { app } } });
      const before = results(c, fs);
      const after = results({ ...c, authorizationPolicies: [...c.authorizationPolicies, added] }, fs);
      before.forEach((b, i) => {
        const a = after[i] as FlowResult;
        if (a.verdict === b.verdict) return;
        expect([b.verdict, a.verdict]).toEqual(['allow', 'deny']);
        expect(a).toMatchObject({ reason: 'no-allow-policy-matched', decidedBy: { component: 'destination-ztunnel' } });
        expect(a.destination.startsWith(`${ns}/${app}`)).toBe(true);
      });
    }), { numRuns: RUNS });
  });

  it('adding an ALLOW policy to a workload that already has one can only allow more flows (§2 assert_rbac step 5: any ALLOW match allows)', () => {
    fc.assert(fc.property(clusterWithPolicies(), fc.constantFrom(...SMALL_NAMESPACES), fc.constantFrom(...SMALL_APPS), fc.array(smallRule, { maxLength: 2 }), flows, (c, ns, app, rules, fs) => {
      const w = prepareMesh(c).workloadByUid.get(`${ns}/${app}`);
      fc.pre(w !== undefined && prepareMesh(c).ztunnelPoliciesFor(w).some((p) => p.policy.action === 'ALLOW' && !p.policy.dryRun));
      const added = policy(`${ns}/added-allow`, { action: 'ALLOW', rules, selector: { matchLabels: { app } } });
      const before = results(c, fs);
      const after = results({ ...c, authorizationPolicies: [...c.authorizationPolicies, added] }, fs);
      before.forEach((b, i) => {
        if (b.verdict === 'allow') expect(after[i]?.verdict).toBe('allow');
      });
    }), { numRuns: RUNS });
  });
});

/** Renames namespaces in every string: `ns`, `ns/...`, and `.../ns/<ns>/...` (principals). */
function rename<T>(value: T, map: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return renameString(value, map) as T;
  if (Array.isArray(value)) return value.map((v) => rename(v, map)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, map)])) as T;
  }
  return value;
}

function renameString(s: string, map: ReadonlyMap<string, string>): string {
  const exact = map.get(s);
  if (exact !== undefined) return exact;
  const out = s.replace(/\/ns\/([^/]+)\//g, (m, n: string) => (map.has(n) ? `/ns/${map.get(n)}/` : m));
  const slash = out.indexOf('/');
  const head = slash > 0 ? map.get(out.slice(0, slash)) : undefined;
  return head === undefined ? out : `${head}${out.slice(slash)}`;
}

describe('metamorphic relations over the bundled manifests', () => {
  const root = resolve(__dirname, '../../scenarios');
  const clusters = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort().flatMap((d) => {
    const dir = join(root, d);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'scenario.yaml' && f !== 'flows.yaml');
    if (d === 'demo') return [[d, readdirSync(join(dir, 'cluster')).sort().map((f) => readFileSync(join(dir, 'cluster', f), 'utf8')).join('\n---\n')] as const];
    return files.includes('cluster.yaml') ? [[d, readFileSync(join(dir, 'cluster.yaml'), 'utf8')] as const] : [];
  });

  it.each(clusters)('splitting the %s manifests into many files changes nothing (manifests are a set of objects; DESIGN.md "Manifests")', (_name, text) => {
    const documents = text.split(/^---[^\n]*$/m).filter((d) => d.trim() !== '');
    const one = loadManifests([{ file: 'all.yaml', text }]).cluster;
    const index = prepareMesh(one);
    const generated = fc.sample(flowsOver(index, { undeclaredPorts: true }), { numRuns: 150, seed: 1 });
    const outcome = (c: Cluster) => results(c, generated).map((r) => [r.verdict, r.encrypted, r.decidedBy, r.policy, r.rule, r.reason, r.hops]);
    const expected = outcome(one);
    fc.assert(fc.property(fc.array(fc.boolean(), { minLength: documents.length, maxLength: documents.length }), (cuts) => {
      const files: string[][] = [[]];
      documents.forEach((d, i) => {
        if (i > 0 && cuts[i]) files.push([]);
        files[files.length - 1]?.push(d);
      });
      const split = loadManifests(files.map((ds, i) => ({ file: `part-${i}.yaml`, text: ds.join('\n---\n') }))).cluster;
      expect(outcome(split)).toEqual(expected);
    }), { numRuns: 20 });
  });
});
