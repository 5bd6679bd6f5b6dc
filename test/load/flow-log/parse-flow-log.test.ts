import { describe, expect, it } from 'vitest';
import { parseFlowLog } from '../../../src/load/flow-log/parse-flow-log.js';

/** Hubble records as `hubble observe -o json` prints them (cilium flow.proto field names). */
const HUBBLE = [
  { flow: { time: '2026-11-30T10:00:00.000Z', verdict: 'FORWARDED', IP: { source: '10.244.1.11', destination: '10.244.3.11', ipVersion: 'IPv4' }, l4: { TCP: { source_port: 51234, destination_port: 8080, flags: { SYN: true } } }, source: { namespace: 'orders', pod_name: 'checkout-service-6b7d9c8f5d-x2kqp' }, destination: { namespace: 'fintech-core', pod_name: 'payment-processor-9c5b7d6f48-t7pxs' }, Type: 'L3_L4', is_reply: false, destination_service: { name: 'payment-processor', namespace: 'fintech-core' } }, node_name: 'node-a', time: '2026-11-30T10:00:00.000Z' },
  { flow: { time: '2026-11-30T10:00:00.001Z', IP: { source: '10.244.3.11', destination: '10.244.1.11' }, l4: { TCP: { source_port: 8080, destination_port: 51234, flags: { SYN: true, ACK: true } } }, Type: 'L3_L4', is_reply: true } },
  { flow: { time: '2026-11-30T10:00:00.002Z', IP: { source: '10.244.1.11', destination: '10.244.3.11' }, l4: { TCP: { source_port: 51234, destination_port: 8080 } }, source: { namespace: 'orders', pod_name: 'checkout-service-6b7d9c8f5d-x2kqp' }, destination: { namespace: 'fintech-core', pod_name: 'payment-processor-9c5b7d6f48-t7pxs' }, Type: 'L7', destination_service: { name: 'payment-processor', namespace: 'fintech-core' }, l7: { type: 'REQUEST', http: { method: 'POST', url: 'http://payment-processor.fintech-core/api/v1/payments', protocol: 'HTTP/1.1', headers: [{ key: 'X-Request-Id', value: 'r1' }] } } } },
  { flow: { time: '2026-11-30T10:00:00.010Z', IP: { source: '10.244.3.11', destination: '10.244.1.11' }, l4: { TCP: { source_port: 8080, destination_port: 51234 } }, Type: 'L7', l7: { type: 'RESPONSE', http: { code: 200 } } } },
  { flow: { time: '2026-11-30T10:00:01.000Z', IP: { source: '203.0.113.9', destination: '10.96.30.10' }, l4: { TCP: { sourcePort: 40000, destinationPort: 80 } }, Type: 'L3_L4' } },
  { flow: { time: '2026-11-30T10:00:02.000Z', IP: { source: '10.244.1.11', destination: '10.96.0.10' }, l4: { UDP: { source_port: 5353, destination_port: 53 } }, source: { namespace: 'orders', pod_name: 'checkout-service-6b7d9c8f5d-x2kqp' }, Type: 'L3_L4' } },
  { flow: { time: '2026-11-30T10:00:03.000Z', IP: { source: '10.244.1.11', destination: '10.244.1.12' }, l4: { ICMPv4: { type: 8 } }, Type: 'L3_L4' } },
].map((r) => JSON.stringify(r)).join('\n');

describe('parseFlowLog', () => {
  it('reads a Hubble export: a request per L7 REQUEST, a flow per connection without one, replies and responses skipped', () => {
    const r = parseFlowLog(HUBBLE, 'hubble.json');
    expect(r.diagnostics).toEqual([]);
    expect(r.flows.map((f) => [f.id, f.protocol, f.time])).toEqual([['hubble.json:3', 'http', 0.002], ['hubble.json:5', 'tcp', 1], ['hubble.json:6', 'udp', 2]]);
    expect(r.flows[0]).toMatchObject({
      source: { workload: 'orders/checkout-service-6b7d9c8f5d-x2kqp' }, destination: { workload: 'fintech-core/payment-processor-9c5b7d6f48-t7pxs', port: 8080 },
      http: { method: 'POST', path: '/api/v1/payments', host: 'payment-processor.fintech-core', headers: { 'x-request-id': 'r1' } },
      origin: { kind: 'flow-log', note: expect.stringMatching(/after service translation \(Service fintech-core\/payment-processor\)/) },
    });
    expect(r.flows[1]).toMatchObject({ source: { ip: '203.0.113.9' }, destination: { ip: '10.96.30.10', port: 80 } });
    expect(r.summary).toEqual({ file: 'hubble.json', format: 'hubble', records: 7, flows: 3, skipped: { 'reply direction': 1, 'L7 response': 1, 'ICMPv4 is not TCP or UDP': 1, 'connection event of a connection whose HTTP requests are flows': 1 } });
  });

  it('reads bare flow objects (older hubble) as well as wrapped ones', () => {
    const bare = JSON.stringify({ IP: { source: '10.0.0.1', destination: '10.0.0.2' }, l4: { TCP: { source_port: 1, destination_port: 2 } }, Type: 'L3_L4' });
    expect(parseFlowLog(bare, 'old.json').flows).toHaveLength(1);
  });

  it('reads JSONL in the flows-file format as flows of a flow log', () => {
    const text = '{"id":"a","source":{"workload":"orders/checkout-service"},"destination":{"service":"fintech-core/payment-processor","port":80}}\n{"id":"b","source":{"ip":"203.0.113.9"},"destination":{"ip":"10.96.30.10","port":80},"protocol":"http","method":"GET","path":"/"}\n';
    const r = parseFlowLog(text, 'flows.jsonl');
    expect(r.summary.format).toBe('flows');
    expect(r.flows.map((f) => [f.id, f.origin?.kind])).toEqual([['a', 'flow-log'], ['b', 'flow-log']]);
  });

  it('names a line that is not JSON in a Hubble export and keeps the others', () => {
    const r = parseFlowLog(`${HUBBLE}\n{not json`, 'h.json');
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'json-syntax', line: 8, severity: 'error' })]);
    expect(r.flows).toHaveLength(3);
  });
});
