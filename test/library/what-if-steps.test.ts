import { beforeAll, describe, expect, it } from 'vitest';
import { parseWhatIf, type Cluster } from 'ambient-bench';
import { loadManifestFiles } from 'ambient-bench/files';
import { checkInvariant, noChangeUnder, renderInvariantCheck } from 'ambient-bench/testing';

let cluster: Cluster;
beforeAll(async () => {
  cluster = (await loadManifestFiles(['scenarios/demo/cluster'])).cluster;
});

describe('parseWhatIf() builds what-if steps for noChangeUnder(), as a scenario\'s whatIf is read', () => {
  it('reads a list of steps given as a value', () => {
    const { steps, diagnostics } = parseWhatIf([{ peerAuthentication: { namespace: 'payments', mode: 'STRICT' } }, { ambient: 'shop' }]);
    expect(diagnostics).toEqual([]);
    expect(steps.map((s) => s.kind)).toEqual(['peerAuthentication', 'ambient']);
    expect(steps[0]).toMatchObject({ kind: 'peerAuthentication', namespace: 'payments', mode: 'STRICT' });
  });

  it('reads YAML text, and a mapping with a whatIf list, as a steps file is read', () => {
    expect(parseWhatIf('- ambient: { namespace: shop }\n').steps).toMatchObject([{ kind: 'ambient', namespace: 'shop', enabled: true }]);
    expect(parseWhatIf({ whatIf: [{ ambient: 'shop' }] }).steps.map((s) => s.kind)).toEqual(['ambient']);
  });

  it('loads inline objects of an apply step', () => {
    const { steps, diagnostics } = parseWhatIf([{ apply: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }] }]);
    expect(diagnostics).toEqual([]);
    expect(steps[0]?.kind === 'apply' && steps[0].objects.map((o) => `${o.kind}/${o.meta.ref.name}`)).toEqual(['Namespace/shop']);
  });

  it('reports what it cannot use, without throwing: an unknown step, and apply files (it reads no files)', () => {
    const { steps, diagnostics } = parseWhatIf([{ teleport: {} }, { apply: ['waypoint.yaml'] }], { file: 'steps.yaml' });
    expect(steps).toEqual([]);
    expect(diagnostics.map((d) => [d.severity, d.file])).toEqual([['error', 'steps.yaml'], ['error', 'steps.yaml']]);
    expect(diagnostics[1]?.message).toContain('waypoint.yaml');
  });

  it('gives noChangeUnder() steps that checkInvariant() replays, and renderInvariantCheck() prints the outcome without options', () => {
    const { steps } = parseWhatIf([{ peerAuthentication: { namespace: 'istio-system', mode: 'STRICT' } }]);
    const outcome = checkInvariant(cluster, noChangeUnder(steps), { numRuns: 50, seed: 1 });
    const text = renderInvariantCheck(outcome);
    expect(text).toContain('noChangeUnder(peerAuthentication)');
    expect(renderInvariantCheck(outcome, { manifests: ['k8s/'] })).toContain(outcome.passed ? 'held over' : 'ambient-bench explain -f k8s/');
  });
});
