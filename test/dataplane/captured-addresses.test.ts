import { describe, expect, it } from 'vitest';
import { listensAt, placeRecordedFlows } from '../../src/dataplane/captured-addresses.js';
import { prepareMesh } from '../../src/index.js';
import type { Flow } from '../../src/model/flow.js';
import { ambientNamespace, cluster, node, pod, service } from '../support/builders.js';

const world = () => prepareMesh(cluster([
  ambientNamespace('shop'), node('node-1', '192.168.0.1'),
  pod('shop/web-1', '10.1.0.5', { labels: { app: 'web' } }), pod('shop/db-1', '10.1.0.6', { labels: { app: 'db' }, ports: [5432] }),
  service('shop/web', '10.96.0.10', { selector: { app: 'web' } }),
]));

const recorded = (src: string, dst: string, port: number, note?: string): Flow => ({
  id: `${src}>${dst}:${port}`, source: { ip: src }, destination: { ip: dst, port }, protocol: 'tcp', time: 0,
  origin: { kind: 'capture', packet: 0, ...(note ? { note } : {}) },
});

describe('placeRecordedFlows() places captured addresses in the cluster', () => {
  it('does not put a pod port back to a Service whose named targetPort the pod does not declare (kubernetes pkg/api/v1/pod/util.go FindPort)', () => {
    const index = prepareMesh(cluster([
      ambientNamespace('shop'), node('node-1', '192.168.0.1'),
      pod('shop/web-1', '10.1.0.5', { labels: { app: 'web' }, ports: [80] }),
      service('shop/web', '10.96.0.10', { selector: { app: 'web' }, targetPort: 'http' }),
    ]));
    // web-1 names its port 80 `p80`, not `http`: the Service port forwards to no port of this pod.
    const { placement } = placeRecordedFlows(index, [recorded('10.1.0.6', '10.1.0.5', 80)], { undoDnat: true });
    expect(placement).toMatchObject({ postDnat: 0, undone: 0 });
  });

  it('counts pod, Service, node and external addresses at each end, the same for every repeat of a flow', () => {
    const flows = [recorded('10.1.0.6', '10.96.0.10', 80), recorded('192.168.0.1', '10.1.0.6', 5432), recorded('8.8.8.8', '10.1.0.6', 5432)];
    const { placement } = placeRecordedFlows(world(), [...flows, ...flows, ...flows]);
    expect(placement.sources).toEqual({ pod: 3, service: 0, node: 3, external: 3 });
    expect(placement.destinations).toEqual({ pod: 6, service: 3, node: 0, external: 0 });
    expect(placement.postDnat).toBe(0);
  });

  it('notes a flow to a pod port behind a Service, and puts it back to the Service with undoDnat, keeping an earlier note', () => {
    const index = world();
    const flows = [recorded('10.1.0.6', '10.1.0.5', 8080), recorded('10.1.0.6', '10.1.0.5', 8080, 'no SYN')];
    for (let round = 0; round < 2; round++) {
      const kept = placeRecordedFlows(index, flows);
      expect(kept.placement).toMatchObject({ postDnat: 2, undone: 0 });
      expect(kept.flows.map((f) => f.destination)).toEqual([{ ip: '10.1.0.5', port: 8080 }, { ip: '10.1.0.5', port: 8080 }]);
      expect(kept.flows[0]?.origin?.note).toMatch(/^destination 10\.1\.0\.5:8080 is a pod behind Service shop\/web \(10\.96\.0\.10:80\); .*--undo-dnat/);
      const undone = placeRecordedFlows(index, flows, { undoDnat: true });
      expect(undone.placement).toMatchObject({ postDnat: 2, undone: 2 });
      expect(undone.flows.map((f) => f.destination)).toEqual([{ ip: '10.96.0.10', port: 80 }, { ip: '10.96.0.10', port: 80 }]);
      expect(undone.flows[1]?.origin?.note).toBe("no SYN; destination 10.1.0.5:8080 put back to Service shop/web (10.96.0.10:80), as before kube-proxy's DNAT");
    }
  });

  it('answers for each mesh on its own, even for the same addresses', () => {
    const withService = world();
    const without = prepareMesh(cluster([ambientNamespace('shop'), pod('shop/web-1', '10.1.0.5', { labels: { app: 'web' } })]));
    const flows = [recorded('10.1.0.5', '10.1.0.5', 8080)];
    expect(placeRecordedFlows(withService, flows).placement.postDnat).toBe(1);
    expect(placeRecordedFlows(without, flows).placement.postDnat).toBe(0);
  });
});

describe('listensAt() says where the manifests have a listener', () => {
  it.each([
    ['10.96.0.10', 80, true], ['10.96.0.10', 81, false], ['10.1.0.5', 8080, true], ['10.1.0.6', 5432, true], ['10.1.0.6', 80, false], ['8.8.8.8', 53, false],
  ])('%s:%i → %s', (ip, port, expected) => {
    expect(listensAt(world())(ip, port)).toBe(expected);
  });
});
