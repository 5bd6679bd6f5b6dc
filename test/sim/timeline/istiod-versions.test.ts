import { describe, expect, it } from 'vitest';
import { EMPTY_CLUSTER } from '../../../src/model/cluster.js';
import { IstiodVersions } from '../../../src/sim/timeline/istiod-versions.js';

const at = { file: 'timeline.yaml', document: 0, line: 1 };

describe('IstiodVersions', () => {
  it('makes one version per step, each the cluster after the steps so far, with the step\'s notes', () => {
    const istiod = new IstiodVersions(EMPTY_CLUSTER);
    istiod.apply({ kind: 'ambient', namespace: 'shop', enabled: true, source: at }, 5);
    istiod.apply({ kind: 'addWaypoint', namespace: 'shop', name: 'waypoint', enrollNamespace: false, source: at }, 9);
    expect(istiod.latest).toBe(2);
    expect(istiod.cluster(1).namespaces.map((n) => n.meta.labels)).toEqual([{ 'istio.io/dataplane-mode': 'ambient' }]);
    expect(istiod.cluster(2).gateways.map((g) => g.meta.ref.name)).toEqual(['waypoint']);
    expect(istiod.notes[0]).toMatch(/^5 s: /);
  });

  it('compiles a version once, and forgets versions no component can enforce again, never the newest', () => {
    const istiod = new IstiodVersions(EMPTY_CLUSTER);
    istiod.apply({ kind: 'ambient', namespace: 'shop', enabled: true, source: at }, 1);
    expect(istiod.simulator(1)).toBe(istiod.simulator(1));
    istiod.release(5);
    expect(() => istiod.cluster(0)).toThrow('version 0 was released');
    expect(istiod.simulator(1)).toBeDefined();
  });
});
