import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { parseFlows } from '../../../src/load/flows/parse-flows.js';

describe('parseFlows() reads the flows file of DESIGN.md', () => {
  it.each([
    ['YAML', '\uFEFF- id: a\n  source: { workload: ns/p }\n  destination: { service: ns/s, port: 80 }\n', 'f.yaml'],
    ['JSON', '\uFEFF[{"id":"a","source":{"workload":"ns/p"},"destination":{"service":"ns/s","port":80}}]', 'f.json'],
  ])('a %s flows file that starts with a UTF-8 byte order mark reads as without it (YAML 1.2 allows one)', (_kind, text, file) => {
    const parsed = parseFlows(text, file);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.flows.map((f) => f.id)).toEqual(['a']);
  });

  it('reads the contract example in YAML', () => {
    const text = `- id: checkout-pays
  source: { workload: orders/checkout }
  destination: { service: payments/api, port: 80 }
  protocol: http
  method: POST
  path: /api/payments
  headers: { X-Request-Id: abc }
  time: 1.5
`;
    const { flows, diagnostics } = parseFlows(text, 'flows.yaml');
    expect(diagnostics).toEqual([]);
    expect(flows).toEqual([{
      id: 'checkout-pays', source: { workload: 'orders/checkout' }, destination: { service: 'payments/api', port: 80 },
      protocol: 'http', http: { method: 'POST', path: '/api/payments', headers: { 'x-request-id': 'abc' } }, time: 1.5,
      origin: { kind: 'flows-file', source: { file: 'flows.yaml', document: 0, line: 1 } },
    }]);
  });

  it('reads a JSON list and JSONL alike, defaulting id to the position and protocol to tcp', () => {
    const one = { source: { ip: '203.0.113.9' }, destination: { ip: '10.96.0.9', port: 80 } };
    const two = { source: { workload: 'a/b' }, destination: { workload: 'c/d', port: 8080 }, protocol: 'udp' };
    const fromJson = parseFlows(JSON.stringify([one, two]), 'flows.json');
    const fromJsonl = parseFlows(`${JSON.stringify(one)}\n${JSON.stringify(two)}\n`, 'flows.jsonl');
    for (const r of [fromJson, fromJsonl]) {
      expect(r.diagnostics).toEqual([]);
      expect(r.flows.map((f) => [f.id, f.protocol, f.destination])).toEqual([
        ['1', 'tcp', { ip: '10.96.0.9', port: 80 }],
        ['2', 'udp', { workload: 'c/d', port: 8080 }],
      ]);
    }
  });

  it.each([
    ['a port out of range', '- { source: { workload: a/b }, destination: { service: c/d, port: 70000 } }', /destination.port must be an integer from 1 to 65535/],
    ['a source without namespace', '- { source: { workload: b }, destination: { service: c/d, port: 80 } }', /source.workload must be namespace\/name/],
    ['an unknown protocol', '- { source: { workload: a/b }, destination: { service: c/d, port: 80 }, protocol: grpc }', /protocol must be one of tcp, http, udp/],
    ['a path without slash', '- { source: { workload: a/b }, destination: { service: c/d, port: 80 }, protocol: http, path: api }', /path must be a string starting with "\/"/],
    ['a negative time', '- { source: { workload: a/b }, destination: { service: c/d, port: 80 }, time: -1 }', /time must be a non-negative number/],
    ['a scalar entry', '- just a string', /expected a mapping/],
  ])('reports %s with file and line, and keeps the other flows', (_name, bad, message) => {
    const good = '- { source: { workload: a/b }, destination: { service: c/d, port: 80 } }';
    const { flows, diagnostics } = parseFlows(`${good}\n${bad}\n`, 'f.yaml');
    expect(flows).toHaveLength(1);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'invalid-flow', file: 'f.yaml', line: 2 });
    expect(diagnostics[0]?.message).toMatch(message);
  });

  it('reports YAML syntax errors with line and column', () => {
    const { flows, diagnostics } = parseFlows('- id: a\n  source: { workload: a/b\n', 'broken.yaml');
    expect(flows).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'yaml-syntax', file: 'broken.yaml' });
    expect(diagnostics[0]?.line).toBeGreaterThan(0);
  });

  it('warns about duplicate ids and unknown fields', () => {
    const text = '- { id: x, source: { workload: a/b }, destination: { service: c/d, port: 80 }, colour: red }\n- { id: x, source: { workload: a/b }, destination: { service: c/d, port: 80 } }\n';
    const { flows, diagnostics } = parseFlows(text, 'f.yaml');
    expect(flows).toHaveLength(2);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['duplicate-flow-id', 'unknown-flow-field']);
  });

  it('never throws on arbitrary text or JSON values', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
      const r = parseFlows(text, 'x.yaml');
      expect(Array.isArray(r.flows)).toBe(true);
    }), { numRuns: 300 });
  });
});

describe('parseFlows() reads a request\'s jwt', () => {
  it('keeps iss, sub, claims and invalid, with iss and sub among the claims', () => {
    const text = '- source: { workload: a/b }\n  destination: { service: c/d, port: 80 }\n  method: GET\n  jwt: { iss: https://idp, sub: alice, claims: { group: x }, invalid: true }\n';
    const { flows, diagnostics } = parseFlows(text, 'flows.yaml');
    expect(diagnostics).toEqual([]);
    expect(flows[0]?.jwt).toEqual({ iss: 'https://idp', sub: 'alice', claims: { iss: 'https://idp', sub: 'alice', group: 'x' }, invalid: true });
  });
  it('reports a jwt without iss or sub with file and line', () => {
    const { flows, diagnostics } = parseFlows('- source: { workload: a/b }\n  destination: { service: c/d, port: 80 }\n  jwt: { sub: alice }\n', 'flows.yaml');
    expect(flows).toEqual([]);
    expect(diagnostics[0]?.message).toMatch(/^flows\.yaml:1: flow 1: jwt must be/);
  });
});

describe('parseFlows() prints nothing itself', () => {
  it('a mapping key that is a list is read without a process warning (found by test/fuzz: the YAML reader printed "Keys with collection values will be stringified" on stderr, quoting the file)', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      const { flows, diagnostics } = parseFlows('- source: { workload: a/b }\n  destination: { service: c/d, port: 80 }\n  ? [x]\n  : y\n', 'flows.yaml');
      expect(flows).toHaveLength(1);
      expect(diagnostics.map((d) => d.code)).toEqual(['unknown-flow-field']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
