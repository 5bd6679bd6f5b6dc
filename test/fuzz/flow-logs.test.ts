import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlowLog } from '../../src/load/flow-log/parse-flow-log.js';
import { fuzzParameters, fuzzTimeout, guarded } from './support/fuzz-settings.js';
import { mutateValue, valueMutation } from './support/mutate-value.js';
import { applyBreaking, breakingMutation, expectLocated, lineCount } from './support/text-mutations.js';

/**
 * Hubble exports (`hubble observe -o json`, field names of cilium's flow.proto) fuzzed record by
 * record: fields mutated, records cut, spliced and flipped. Every record is part of a flow or counted
 * as skipped with its reason (parse-flow-log.ts), and every error is at a line of the file.
 */
const SEEDS: readonly unknown[] = [
  { flow: { time: '2026-11-30T10:00:00.000Z', verdict: 'FORWARDED', IP: { source: '10.244.1.11', destination: '10.244.3.11', ipVersion: 'IPv4' }, l4: { TCP: { source_port: 51234, destination_port: 8080, flags: { SYN: true } } }, source: { namespace: 'orders', pod_name: 'checkout-service-6b7d9c8f5d-x2kqp' }, destination: { namespace: 'fintech-core', pod_name: 'payment-processor-9c5b7d6f48-t7pxs' }, Type: 'L3_L4', is_reply: false, destination_service: { name: 'payment-processor', namespace: 'fintech-core' } }, node_name: 'node-a', time: '2026-11-30T10:00:00.000Z' },
  { flow: { time: '2026-11-30T10:00:00.001Z', IP: { source: '10.244.3.11', destination: '10.244.1.11' }, l4: { TCP: { source_port: 8080, destination_port: 51234, flags: { SYN: true, ACK: true } } }, Type: 'L3_L4', is_reply: true } },
  { flow: { time: '2026-11-30T10:00:00.002Z', IP: { source: '10.244.1.11', destination: '10.244.3.11' }, l4: { TCP: { source_port: 51234, destination_port: 8080 } }, source: { namespace: 'orders', pod_name: 'checkout-service-6b7d9c8f5d-x2kqp' }, Type: 'L7', l7: { type: 'REQUEST', http: { method: 'POST', url: 'http://payment-processor.fintech-core/api/v1/payments', protocol: 'HTTP/1.1', headers: [{ key: 'X-Request-Id', value: 'r1' }] } } } },
  { flow: { time: '2026-11-30T10:00:00.010Z', IP: { source: '10.244.3.11', destination: '10.244.1.11' }, l4: { TCP: { source_port: 8080, destination_port: 51234 } }, Type: 'L7', l7: { type: 'RESPONSE', http: { code: 200 } } } },
  { flow: { time: '2026-11-30T10:00:01.000Z', IP: { source: '203.0.113.9', destination: '10.96.30.10' }, l4: { TCP: { sourcePort: 40000, destinationPort: 80 } }, Type: 'L3_L4' } },
  { flow: { time: '2026-11-30T10:00:02.000Z', IP: { source: '10.244.1.11', destination: '10.96.0.10' }, l4: { UDP: { source_port: 5353, destination_port: 53 } }, Type: 'L3_L4' } },
  { flow: { time: '2026-11-30T10:00:03.000Z', IP: { source: '10.244.1.11', destination: '10.244.1.12' }, l4: { ICMPv4: { type: 8 } }, Type: 'L3_L4' } },
  { IP: { source: '10.0.0.1', destination: '10.0.0.2' }, l4: { TCP: { source_port: 1, destination_port: 2 } }, Type: 'L3_L4' },
];

const FILE = 'fuzz/hubble.json';
/** The first record is kept whole: it is what tells a Hubble export from JSONL flows. */
const hubbleCase = fc.array(fc.record({ seed: fc.nat(), mutations: fc.array(valueMutation, { maxLength: 2 }) }), { minLength: 1, maxLength: 15 })
  .map((records) => [SEEDS[0], ...records.map((r) => mutateValue({ record: SEEDS[r.seed % SEEDS.length] }, r.mutations).record)].map((r) => JSON.stringify(r) ?? 'null').join('\n'));

describe('fuzzed Hubble exports: every record part of a flow or skipped with a reason', () => {
  it('records mutated field by field, and the text cut, spliced or flipped', () => {
    fc.assert(fc.property(hubbleCase, fc.array(breakingMutation, { maxLength: 2 }), (records, breaking) => {
      const text = applyBreaking(records, breaking);
      const r = guarded(() => parseFlowLog(text, FILE));
      expectLocated(r.diagnostics, new Map([[FILE, lineCount(text)]]));
      if (r.summary.format !== 'hubble') return;
      expect(r.summary.records).toBe(text.split('\n').filter((l) => l.trim() !== '').length);
      const skipped = Object.values(r.summary.skipped).reduce((a, b) => a + b, 0);
      expect(r.flows.length + skipped).toBe(r.summary.records);
      expect(r.summary.flows).toBe(r.flows.length);
    }), fuzzParameters(800));
  }, fuzzTimeout(800));
});
