import { describe, expect, it } from 'vitest';
import { parseFlows } from '../../../src/load/flows/parse-flows.js';

describe('a flows-file entry\'s duration', () => {
  it('is read as seconds the connection stays open, and rejected when negative', () => {
        const ok = parseFlows('- { source: { workload: a/b }, destination: { service: c/d, port: 80 }, time: 1, duration: 300 }\n', 'flows.yaml');
    expect([ok.flows[0]?.duration, ok.diagnostics]).toEqual([300, []]);
    const bad = parseFlows('- { source: { workload: a/b }, destination: { service: c/d, port: 80 }, duration: -1 }\n', 'flows.yaml');
    expect(bad.diagnostics.map((d) => d.message)).toEqual(['flows.yaml:1: flow 1: duration must be a non-negative number of seconds, got number -1']);
  });
});
