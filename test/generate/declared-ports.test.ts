import { describe, expect, it } from 'vitest';
import { servicePorts, workloadPorts } from '../../src/generate/declared-ports.js';
import { prepareMesh } from '../../src/index.js';
import { ambientNamespace, cluster, pod, service } from '../support/builders.js';

/**
 * The ports generated traffic may use at a pod are those the simulator delivers to: a Service's
 * targetPort as a number, as numeric text, or as a name the pod declares (kubernetes
 * staging/src/k8s.io/endpointslice/utils.go getEndpointPorts, pkg/api/v1/pod/util.go FindPort).
 */
describe('workloadPorts() reads a Service target port as the simulator does (route/endpoints.ts targetPortOf)', () => {
  const portsOf = (targetPort: number | string) => {
    const index = prepareMesh(cluster([ambientNamespace('a'), pod('a/api', '10.0.0.2', { ports: [9000] }), service('a/api', '10.96.0.2', { targetPort })]));
    const w = index.mesh.workloads.find((x) => x.uid === 'a/api');
    return w ? workloadPorts(w, index).map((p) => p.port) : [];
  };
  it.each([
    ['a number', 8443, [9000, 8443]],
    ['numeric text', '8443', [9000, 8443]],
    ['a name the pod declares', 'p9000', [9000]],
    ['a name the pod does not declare', 'grpc', [9000]],
  ])('%s', (_what, targetPort, ports) => {
    expect(portsOf(targetPort)).toEqual(ports);
  });
});

describe('servicePorts() keeps each port with the transports flows can use (core/v1 ServicePort.Protocol)', () => {
  it('TCP and UDP on one number join; an SCTP port offers no flow transport', () => {
    const index = prepareMesh(cluster([ambientNamespace('a'), pod('a/dns', '10.0.0.3'), service('a/dns', '10.96.0.3')]));
    const svc = index.mesh.services.find((s) => s.key === 'a/dns');
    if (!svc) throw new Error('no Service a/dns');
    const ports = [{ ...svc.ports[0], port: 53, protocol: 'UDP' }, { ...svc.ports[0], port: 53, protocol: 'TCP' }, { ...svc.ports[0], port: 3868, protocol: 'SCTP' }];
    expect(servicePorts({ ...svc, ports } as typeof svc)).toEqual([{ port: 53, transports: ['udp', 'tcp'] }]);
  });
});
