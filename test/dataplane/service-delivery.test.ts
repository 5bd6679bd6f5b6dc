import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VerdictPath } from '../../src/dataplane/decide.js';
import { evaluateFlow } from '../../src/dataplane/evaluate-flow.js';
import { loadManifests, prepareMesh } from '../../src/index.js';
import type { Transport } from '../../src/model/flow.js';
import type { ReasonCode } from '../../src/model/reason.js';
import { flow } from '../support/builders.js';
import { decisionFields } from '../support/decision-fields.js';

const FIXTURE = 'test/fixtures/delivery/cluster.yaml';
const loaded = loadManifests([{ file: FIXTURE, text: readFileSync(FIXTURE, 'utf8') }]);
const index = prepareMesh(loaded.cluster);

interface Case {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly protocol?: Transport;
  readonly verdict: 'allow' | 'deny';
  readonly reason: ReasonCode;
  /** Where the last hop ends, when the flow reaches a pod. */
  readonly reaches?: string;
  /** The port the destination ztunnel sees. */
  readonly atPort?: number;
  /** A step code the explanation must carry. */
  readonly step?: ReasonCode;
}

/** Decides a flow on both paths: they must agree; the evidence is returned. */
function decided(c: Case, id?: string) {
  const f = flow(c.from, c.to, { ...(c.protocol ? { protocol: c.protocol } : {}), ...(id !== undefined ? { id } : {}) });
  const evidence = evaluateFlow(f, index, { explain: true });
  expect(decisionFields(new VerdictPath(index).decide(f))).toEqual(decisionFields(evidence.result));
  return evidence;
}

function check(c: Case): void {
  const { result, decisions } = decided(c);
  expect(result).toMatchObject({ verdict: c.verdict, reason: c.reason });
  if (c.verdict === 'deny' && c.reason.startsWith('service-')) expect(result.decidedBy).toEqual({ component: 'none', name: null });
  if (c.reaches !== undefined) expect(result.hops.at(-1)?.to).toBe(c.reaches);
  if (c.atPort !== undefined) expect(decisions.find((d) => d.checkpoint.component === 'destination-ztunnel')?.checkpoint.attributes.dstPort).toBe(c.atPort);
  if (c.step !== undefined) expect(result.steps.map((s) => s.code)).toContain(c.step);
}

describe('a Service port is a (port, protocol) pair (kubernetes pkg/proxy/iptables/proxier.go and pkg/proxy/nftables/proxier.go `syncProxyRules`; ztunnel src/state.rs `find_upstream_from_service`)', () => {
  it.each<Case>([
    { name: 'UDP from outside the mesh to a TCP-only port reaches no kube-proxy rule', from: 'legacy/old', to: 'pay/api:80', protocol: 'udp', verdict: 'deny', reason: 'service-port-protocol-undeclared' },
    { name: 'UDP from a captured pod is not captured (iptables.go AppendInpodRules redirects TCP) and meets kube-proxy too', from: 'shop/client', to: 'pay/api:80', protocol: 'udp', verdict: 'deny', reason: 'service-port-protocol-undeclared' },
    { name: 'TCP from outside the mesh to a UDP-only port reaches nothing', from: 'legacy/old', to: 'pay/api:514', verdict: 'deny', reason: 'service-port-protocol-undeclared' },
    { name: 'TCP from outside the mesh to an SCTP-only port reaches nothing', from: 'legacy/old', to: 'pay/api:9000', verdict: 'deny', reason: 'service-port-protocol-undeclared' },
    { name: 'TCP from a captured pod to a UDP-only port is proxied by ztunnel, whose Service ports carry no protocol (ambient/services.go constructService)', from: 'shop/client', to: 'pay/api:514', verdict: 'allow', reason: 'allow-policy-matched', atPort: 514 },
    { name: 'TCP from a captured pod to an SCTP-only port is proxied by ztunnel too', from: 'shop/client', to: 'pay/api:9000', verdict: 'allow', reason: 'allow-policy-matched', atPort: 9000 },
    { name: 'UDP to a port declared for UDP is delivered, uncaptured', from: 'legacy/old', to: 'pay/api:514', protocol: 'udp', verdict: 'allow', reason: 'not-captured-udp' },
    { name: 'UDP to the cluster IP itself is matched by (port, protocol) as well', from: 'legacy/old', to: '10.96.0.10:80', protocol: 'udp', verdict: 'deny', reason: 'service-port-protocol-undeclared' },
  ])('$name', check);
});

describe('a named targetPort the pod does not declare leaves it out of the endpoints (kubernetes pkg/api/v1/pod/util.go FindPort; istio ambient/workloads.go constructServices with helpers.go FindPortName; ztunnel src/state.rs load_balance)', () => {
  it.each<Case>([
    { name: 'every flow to the port goes to the one pod that declares the name, at its container port', from: 'shop/client', to: 'pay/api:81', verdict: 'allow', reason: 'allow-policy-matched', reaches: 'pay/api-1', atPort: 9090 },
    { name: 'a port whose name no pod declares delivers nothing', from: 'shop/client', to: 'pay/api:82', verdict: 'deny', reason: 'service-target-port-undeclared' },
    { name: 'so does it from outside the mesh', from: 'legacy/old', to: 'pay/api:82', verdict: 'deny', reason: 'service-target-port-undeclared' },
    { name: 'a UDP port named by a UDP container port is served (FindPort matches the protocol)', from: 'legacy/old', to: 'pay/api:53', protocol: 'udp', verdict: 'allow', reason: 'not-captured-udp' },
    { name: 'TCP through ztunnel to a UDP-declared named port finds no TCP container port of that name (FindPortName: TCP only)', from: 'shop/client', to: 'pay/api:53', verdict: 'deny', reason: 'service-target-port-undeclared' },
  ])('$name', check);

  it('chooses among the serving pods only, whatever the flow id (ztunnel load_balance filters before it picks)', () => {
    const c: Case = { name: '', from: 'shop/client', to: 'pay/api:81', verdict: 'allow', reason: 'allow-policy-matched' };
    const reached = new Set(Array.from({ length: 40 }, (_, i) => decided(c, `f${i}`).result.hops.at(-1)?.to));
    expect([...reached]).toEqual(['pay/api-1']);
    // The port with a numeric target still spreads over both pods.
    const spread = new Set(Array.from({ length: 40 }, (_, i) => decided({ ...c, to: 'pay/api:80' }, `f${i}`).result.hops.at(-1)?.to));
    expect([...spread].sort()).toEqual(['pay/api-1', 'pay/api-2']);
  });
});

describe('headless and ExternalName Services (kubernetes pkg/proxy/util/utils.go ShouldSkipService; istio ambient/services.go getVIPs and serviceServiceBuilder)', () => {
  it.each<Case>([
    { name: 'a headless name resolves to a pod IP: pod-addressed, the Service waypoint unused, the port unmapped', from: 'shop/client', to: 'pay/api-headless:8080', verdict: 'allow', reason: 'allow-policy-matched', atPort: 8080, step: 'service-headless-pod-addressed' },
    { name: 'an ExternalName naming a cluster Service leads to that Service', from: 'shop/client', to: 'shop/api-alias:80', verdict: 'allow', reason: 'allow-policy-matched', atPort: 8080, step: 'service-external-name-followed' },
    { name: 'an ExternalName naming an outside host is external traffic, passed through by a captured source', from: 'shop/client', to: 'shop/bank:443', verdict: 'allow', reason: 'routed-passthrough-external', step: 'service-external-name-followed' },
    { name: 'an ExternalName naming an outside host meets no enforcement point from outside the mesh', from: 'legacy/old', to: 'shop/bank:443', verdict: 'allow', reason: 'no-enforcement-point' },
    { name: 'an ExternalName follows the target Service\'s own (port, protocol) rules', from: 'legacy/old', to: 'shop/api-alias:514', verdict: 'deny', reason: 'service-port-protocol-undeclared' },
  ])('$name', check);

  it('sends headless traffic through the waypoint the pod itself is bound to (istio.io/use-waypoint on the pod, waypoint-for workload)', () => {
    const { result } = decided({ name: '', from: 'shop/client', to: 'bank/ledger:7000', verdict: 'allow', reason: 'no-allow-policies' });
    expect(result.hops.map((h) => h.to)).toEqual(['bank/wpw', 'bank/ledger-0']);
    expect(result.steps.map((s) => s.code)).toEqual(expect.arrayContaining(['service-headless-pod-addressed', 'routed-via-waypoint']));
  });

  it('sends headless traffic straight to the pod, with no waypoint hop', () => {
    const { result } = decided({ name: '', from: 'shop/client', to: 'pay/api-headless:8080', verdict: 'allow', reason: 'allow-policy-matched' });
    expect(result.hops).toHaveLength(1);
    expect(result.hops[0]).toMatchObject({ from: 'shop/client', transport: 'hbone' });
  });
});

describe('hairpin: only traffic that leaves through lo skips redirection (istio/istio cni/pkg/iptables/iptables.go AppendInpodRules `! -d 127.0.0.1/32 -o lo -j ACCEPT`)', () => {
  it.each<Case>([
    { name: 'a pod calling its own Service by name is captured; its own ztunnel enforces its DENY policy', from: 'shop/client', to: 'shop/client:80', verdict: 'deny', reason: 'deny-policy-matched' },
    { name: 'a pod calling its own Service VIP is captured too', from: 'shop/client', to: '10.96.0.20:80', verdict: 'deny', reason: 'deny-policy-matched' },
    { name: 'a pod calling its own pod IP leaves through lo: not captured', from: 'shop/client', to: '10.0.1.1:8080', verdict: 'allow', reason: 'not-captured-loopback' },
    { name: 'a pod calling itself by pod name goes to its pod IP: not captured', from: 'shop/client', to: 'pod:shop/client:8080', verdict: 'allow', reason: 'not-captured-loopback' },
  ])('$name', check);
});

describe('decide() agrees with the evidence evaluator over every source, destination, port and protocol of the delivery fixture', () => {
  it('on each field they share, each flow twice (the second answered from the memos)', () => {
    const sources = [...index.mesh.workloads.map((w) => w.uid), '172.20.0.1', '172.20.0.2', '203.0.113.9'];
    const services = index.mesh.services;
    const ports = [...new Set([...services.flatMap((s) => s.ports.map((p) => p.port)), 8080, 9090, 5353, 443, 7])];
    const destinations = [
      ...services.map((s) => s.key), ...services.flatMap((s) => s.vips), ...index.mesh.workloads.map((w) => `pod:${w.uid}`),
      ...index.mesh.workloads.flatMap((w) => w.ips), '93.184.216.34',
    ];
    const flows = sources.flatMap((from) => destinations.flatMap((to) => ports.flatMap((port) => (['tcp', 'udp', 'http'] as const).flatMap((protocol) =>
      [0, 1, 2].map((i) => flow(from, `${to}:${port}`, { protocol, id: `${from}>${to}:${port}/${protocol}#${i}`, ...(protocol === 'http' ? { http: { path: '/' } } : {}) }))))));
    const path = new VerdictPath(index);
    const disagreements = [...flows, ...flows].filter((f) => JSON.stringify(decisionFields(path.decide(f))) !== JSON.stringify(decisionFields(evaluateFlow(f, index).result)));
    expect(flows.length).toBeGreaterThan(10_000);
    expect(disagreements.map((f) => f.id)).toEqual([]);
    // The fixture reaches every rule of service-delivery.ts and service-alias.ts.
    const reasons = new Set(flows.map((f) => evaluateFlow(f, index).result.reason));
    for (const r of ['service-port-protocol-undeclared', 'service-target-port-undeclared', 'not-captured-loopback', 'routed-passthrough-external', 'deny-policy-matched'] as const) expect(reasons).toContain(r);
  }, 60_000);
});
